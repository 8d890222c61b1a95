from enum import StrEnum

class AssistantObjectObject(StrEnum):
    ASSISTANT = "assistant"

    def __str__(self) -> str:
        return str(self.value)
