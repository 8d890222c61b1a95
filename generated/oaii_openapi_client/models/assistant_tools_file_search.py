from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.assistant_tools_file_search_type import AssistantToolsFileSearchType
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AssistantToolsFileSearch")



@_attrs_define
class AssistantToolsFileSearch:
    """ 
        Attributes:
            type_ (AssistantToolsFileSearchType): The type of tool being defined: `file_search`
            file_search (AssistantToolsFileSearchFileSearch | Unset): Overrides for the file search tool.
     """

    type_: AssistantToolsFileSearchType
    file_search: AssistantToolsFileSearchFileSearch | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        file_search: dict[str, Any] | Unset = UNSET
        if not isinstance(self.file_search, Unset):
            file_search = self.file_search.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })
        if file_search is not UNSET:
            field_dict["file_search"] = file_search

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = AssistantToolsFileSearchType(d.pop("type"))




        _file_search = d.pop("file_search", UNSET)
        file_search: AssistantToolsFileSearchFileSearch | Unset
        if isinstance(_file_search,  Unset):
            file_search = UNSET
        else:
            file_search = AssistantToolsFileSearchFileSearch.from_dict(_file_search)




        assistant_tools_file_search = cls(
            type_=type_,
            file_search=file_search,
        )


        assistant_tools_file_search.additional_properties = d
        return assistant_tools_file_search

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


#: The JSON field names of AssistantToolsFileSearch, in the spec's order.
ASSISTANT_TOOLS_FILE_SEARCH_FIELDS: tuple[str, ...] = (
    "type",
    "file_search",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.assistant_tools_file_search_file_search import AssistantToolsFileSearchFileSearch
