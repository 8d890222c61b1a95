from enum import StrEnum

class RunObjectObject(StrEnum):
    THREAD_RUN = "thread.run"

    def __str__(self) -> str:
        return str(self.value)
