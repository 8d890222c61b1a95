from enum import StrEnum

class RunStepDetailsToolCallsFunctionObjectType(StrEnum):
    FUNCTION = "function"

    def __str__(self) -> str:
        return str(self.value)
