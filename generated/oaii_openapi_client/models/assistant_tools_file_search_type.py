from enum import StrEnum

class AssistantToolsFileSearchType(StrEnum):
    FILE_SEARCH = "file_search"

    def __str__(self) -> str:
        return str(self.value)
