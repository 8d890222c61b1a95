from enum import StrEnum

class MessageRequestContentTextObjectType(StrEnum):
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
