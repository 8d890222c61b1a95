from enum import StrEnum

class AssistantToolsCodeType(StrEnum):
    CODE_INTERPRETER = "code_interpreter"

    def __str__(self) -> str:
        return str(self.value)
