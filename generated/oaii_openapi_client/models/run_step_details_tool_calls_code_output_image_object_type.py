from enum import StrEnum

class RunStepDetailsToolCallsCodeOutputImageObjectType(StrEnum):
    IMAGE = "image"

    def __str__(self) -> str:
        return str(self.value)
