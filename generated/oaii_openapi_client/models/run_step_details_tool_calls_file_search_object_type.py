from enum import StrEnum

class RunStepDetailsToolCallsFileSearchObjectType(StrEnum):
    FILE_SEARCH = "file_search"

    def __str__(self) -> str:
        return str(self.value)
