from enum import StrEnum

class MessageContentImageUrlObjectType(StrEnum):
    IMAGE_URL = "image_url"

    def __str__(self) -> str:
        return str(self.value)
