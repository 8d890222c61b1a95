from enum import StrEnum

class RunStepObjectObject(StrEnum):
    THREAD_RUN_STEP = "thread.run.step"

    def __str__(self) -> str:
        return str(self.value)
