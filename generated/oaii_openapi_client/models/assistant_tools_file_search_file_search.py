from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AssistantToolsFileSearchFileSearch")



@_attrs_define
class AssistantToolsFileSearchFileSearch:
    """ Overrides for the file search tool.

        Attributes:
            max_num_results (int | Unset): The maximum number of results the file search tool should output. The default is
                20 for `gpt-4*` models and 5 for `gpt-3.5-turbo`. This number should be between 1 and 50 inclusive.

                Note that the file search tool may output fewer than `max_num_results` results. See the [file search tool
                documentation](/docs/assistants/tools/file-search#customizing-file-search-settings) for more information.
            ranking_options (FileSearchRankingOptions | Unset): The ranking options for the file search. If not specified,
                the file search tool will use the `auto` ranker and a score_threshold of 0.

                See the [file search tool documentation](/docs/assistants/tools/file-search#customizing-file-search-settings)
                for more information.
     """

    max_num_results: int | Unset = UNSET
    ranking_options: FileSearchRankingOptions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        max_num_results = self.max_num_results

        ranking_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ranking_options, Unset):
            ranking_options = self.ranking_options.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if max_num_results is not UNSET:
            field_dict["max_num_results"] = max_num_results
        if ranking_options is not UNSET:
            field_dict["ranking_options"] = ranking_options

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_num_results = d.pop("max_num_results", UNSET)

        _ranking_options = d.pop("ranking_options", UNSET)
        ranking_options: FileSearchRankingOptions | Unset
        if isinstance(_ranking_options,  Unset):
            ranking_options = UNSET
        else:
            ranking_options = FileSearchRankingOptions.from_dict(_ranking_options)




        assistant_tools_file_search_file_search = cls(
            max_num_results=max_num_results,
            ranking_options=ranking_options,
        )


        assistant_tools_file_search_file_search.additional_properties = d
        return assistant_tools_file_search_file_search

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


#: The JSON field names of AssistantToolsFileSearchFileSearch, in the spec's order.
ASSISTANT_TOOLS_FILE_SEARCH_FILE_SEARCH_FIELDS: tuple[str, ...] = (
    "max_num_results",
    "ranking_options",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.file_search_ranking_options import FileSearchRankingOptions
