from enum import StrEnum

class GetRunStepIncludeItem(StrEnum):
    STEP_DETAILS_TOOL_CALLS_FILE_SEARCH_RESULTS_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"

    def __str__(self) -> str:
        return str(self.value)
