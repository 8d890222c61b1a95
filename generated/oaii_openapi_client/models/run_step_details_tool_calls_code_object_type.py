from enum import StrEnum

class RunStepDetailsToolCallsCodeObjectType(StrEnum):
    CODE_INTERPRETER = "code_interpreter"

    def __str__(self) -> str:
        return str(self.value)
