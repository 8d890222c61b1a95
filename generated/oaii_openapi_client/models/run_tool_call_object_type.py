from enum import StrEnum

class RunToolCallObjectType(StrEnum):
    FUNCTION = "function"

    def __str__(self) -> str:
        return str(self.value)
