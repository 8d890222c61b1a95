from enum import StrEnum

class MessageContentImageFileObjectType(StrEnum):
    IMAGE_FILE = "image_file"

    def __str__(self) -> str:
        return str(self.value)
