from enum import StrEnum

class RunStepDetailsToolCallsObjectType(StrEnum):
    TOOL_CALLS = "tool_calls"

    def __str__(self) -> str:
        return str(self.value)
