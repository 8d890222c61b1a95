from enum import StrEnum

class AssistantToolsFunctionType(StrEnum):
    FUNCTION = "function"

    def __str__(self) -> str:
        return str(self.value)
