from enum import StrEnum

class MessageContentRefusalObjectType(StrEnum):
    REFUSAL = "refusal"

    def __str__(self) -> str:
        return str(self.value)
