from enum import StrEnum

class ThreadObjectObject(StrEnum):
    THREAD = "thread"

    def __str__(self) -> str:
        return str(self.value)
