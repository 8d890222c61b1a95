from enum import StrEnum

class RunStepDetailsToolCallsCodeOutputLogsObjectType(StrEnum):
    LOGS = "logs"

    def __str__(self) -> str:
        return str(self.value)
