from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RunStepDetailsToolCallsFileSearchRankingOptionsObject")



@_attrs_define
class RunStepDetailsToolCallsFileSearchRankingOptionsObject:
    """ The ranking options for the file search.

        Attributes:
            ranker (str): The ranker to use for the file search. If not specified will use the `auto` ranker.
            score_threshold (float): The score threshold for the file search. All values must be a floating point number
                between 0 and 1.
     """

    ranker: str
    score_threshold: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ranker = self.ranker

        score_threshold = self.score_threshold


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ranker": ranker,
            "score_threshold": score_threshold,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ranker = d.pop("ranker")

        score_threshold = d.pop("score_threshold")

        run_step_details_tool_calls_file_search_ranking_options_object = cls(
            ranker=ranker,
            score_threshold=score_threshold,
        )


        run_step_details_tool_calls_file_search_ranking_options_object.additional_properties = d
        return run_step_details_tool_calls_file_search_ranking_options_object

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


#: The JSON field names of RunStepDetailsToolCallsFileSearchRankingOptionsObject, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_FILE_SEARCH_RANKING_OPTIONS_OBJECT_FIELDS: tuple[str, ...] = (
    "ranker",
    "score_threshold",
)
