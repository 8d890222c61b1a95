from enum import StrEnum

class MessageObjectObject(StrEnum):
    THREAD_MESSAGE = "thread.message"

    def __str__(self) -> str:
        return str(self.value)
