from enum import StrEnum

class MessageContentTextObjectType(StrEnum):
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
