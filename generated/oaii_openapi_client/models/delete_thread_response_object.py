from enum import StrEnum

class DeleteThreadResponseObject(StrEnum):
    THREAD_DELETED = "thread.deleted"

    def __str__(self) -> str:
        return str(self.value)
