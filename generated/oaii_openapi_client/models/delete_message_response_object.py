from enum import StrEnum

class DeleteMessageResponseObject(StrEnum):
    THREAD_MESSAGE_DELETED = "thread.message.deleted"

    def __str__(self) -> str:
        return str(self.value)
