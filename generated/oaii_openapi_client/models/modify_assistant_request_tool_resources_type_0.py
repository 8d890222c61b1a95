from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ModifyAssistantRequestToolResourcesType0")



@_attrs_define
class ModifyAssistantRequestToolResourcesType0:
    """ A set of resources that are used by the assistant's tools. The resources are specific to the type of tool. For
    example, the `code_interpreter` tool requires a list of file IDs, while the `file_search` tool requires a list of
    vector store IDs.

        Attributes:
            code_interpreter (ModifyAssistantRequestToolResourcesType0CodeInterpreter | Unset):
            file_search (ModifyAssistantRequestToolResourcesType0FileSearch | Unset):
     """

    code_interpreter: ModifyAssistantRequestToolResourcesType0CodeInterpreter | Unset = UNSET
    file_search: ModifyAssistantRequestToolResourcesType0FileSearch | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code_interpreter: dict[str, Any] | Unset = UNSET
        if not isinstance(self.code_interpreter, Unset):
            code_interpreter = self.code_interpreter.to_dict()

        file_search: dict[str, Any] | Unset = UNSET
        if not isinstance(self.file_search, Unset):
            file_search = self.file_search.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if code_interpreter is not UNSET:
            field_dict["code_interpreter"] = code_interpreter
        if file_search is not UNSET:
            field_dict["file_search"] = file_search

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _code_interpreter = d.pop("code_interpreter", UNSET)
        code_interpreter: ModifyAssistantRequestToolResourcesType0CodeInterpreter | Unset
        if isinstance(_code_interpreter,  Unset):
            code_interpreter = UNSET
        else:
            code_interpreter = ModifyAssistantRequestToolResourcesType0CodeInterpreter.from_dict(_code_interpreter)




        _file_search = d.pop("file_search", UNSET)
        file_search: ModifyAssistantRequestToolResourcesType0FileSearch | Unset
        if isinstance(_file_search,  Unset):
            file_search = UNSET
        else:
            file_search = ModifyAssistantRequestToolResourcesType0FileSearch.from_dict(_file_search)




        modify_assistant_request_tool_resources_type_0 = cls(
            code_interpreter=code_interpreter,
            file_search=file_search,
        )


        modify_assistant_request_tool_resources_type_0.additional_properties = d
        return modify_assistant_request_tool_resources_type_0

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


#: The JSON field names of ModifyAssistantRequestToolResourcesType0, in the spec's order.
MODIFY_ASSISTANT_REQUEST_TOOL_RESOURCES_TYPE_0_FIELDS: tuple[str, ...] = (
    "code_interpreter",
    "file_search",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.modify_assistant_request_tool_resources_type_0_code_interpreter import ModifyAssistantRequestToolResourcesType0CodeInterpreter
from ..models.modify_assistant_request_tool_resources_type_0_file_search import ModifyAssistantRequestToolResourcesType0FileSearch
