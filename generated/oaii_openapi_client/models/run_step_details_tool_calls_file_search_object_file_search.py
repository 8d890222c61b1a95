from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsFileSearchObjectFileSearch")



@_attrs_define
class RunStepDetailsToolCallsFileSearchObjectFileSearch:
    """ For now, this is always going to be an empty object.

        Attributes:
            ranking_options (RunStepDetailsToolCallsFileSearchRankingOptionsObject | Unset): The ranking options for the
                file search.
            results (list[RunStepDetailsToolCallsFileSearchResultObject] | Unset): The results of the file search.
     """

    ranking_options: RunStepDetailsToolCallsFileSearchRankingOptionsObject | Unset = UNSET
    results: list[RunStepDetailsToolCallsFileSearchResultObject] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ranking_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ranking_options, Unset):
            ranking_options = self.ranking_options.to_dict()

        results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = []
            for results_item_data in self.results:
                results_item = results_item_data.to_dict()
                results.append(results_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if ranking_options is not UNSET:
            field_dict["ranking_options"] = ranking_options
        if results is not UNSET:
            field_dict["results"] = results

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _ranking_options = d.pop("ranking_options", UNSET)
        ranking_options: RunStepDetailsToolCallsFileSearchRankingOptionsObject | Unset
        if isinstance(_ranking_options,  Unset):
            ranking_options = UNSET
        else:
            ranking_options = RunStepDetailsToolCallsFileSearchRankingOptionsObject.from_dict(_ranking_options)




        _results = d.pop("results", UNSET)
        results: list[RunStepDetailsToolCallsFileSearchResultObject] | Unset = UNSET
        if _results is not UNSET:
            results = []
            for results_item_data in _results:
                results_item = RunStepDetailsToolCallsFileSearchResultObject.from_dict(results_item_data)



                results.append(results_item)


        run_step_details_tool_calls_file_search_object_file_search = cls(
            ranking_options=ranking_options,
            results=results,
        )


        run_step_details_tool_calls_file_search_object_file_search.additional_properties = d
        return run_step_details_tool_calls_file_search_object_file_search

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


#: The JSON field names of RunStepDetailsToolCallsFileSearchObjectFileSearch, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_FILE_SEARCH_OBJECT_FILE_SEARCH_FIELDS: tuple[str, ...] = (
    "ranking_options",
    "results",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_tool_calls_file_search_ranking_options_object import RunStepDetailsToolCallsFileSearchRankingOptionsObject
from ..models.run_step_details_tool_calls_file_search_result_object import RunStepDetailsToolCallsFileSearchResultObject
