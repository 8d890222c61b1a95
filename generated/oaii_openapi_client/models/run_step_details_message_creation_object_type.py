from enum import StrEnum

class RunStepDetailsMessageCreationObjectType(StrEnum):
    MESSAGE_CREATION = "message_creation"

    def __str__(self) -> str:
        return str(self.value)
