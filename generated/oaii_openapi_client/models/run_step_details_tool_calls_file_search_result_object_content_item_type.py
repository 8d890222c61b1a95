from enum import StrEnum

class RunStepDetailsToolCallsFileSearchResultObjectContentItemType(StrEnum):
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
