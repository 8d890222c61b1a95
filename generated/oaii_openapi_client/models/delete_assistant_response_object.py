from enum import StrEnum

class DeleteAssistantResponseObject(StrEnum):
    ASSISTANT_DELETED = "assistant.deleted"

    def __str__(self) -> str:
        return str(self.value)
