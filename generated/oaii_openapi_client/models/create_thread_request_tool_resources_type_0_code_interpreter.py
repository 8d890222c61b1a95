from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateThreadRequestToolResourcesType0CodeInterpreter")



@_attrs_define
class CreateThreadRequestToolResourcesType0CodeInterpreter:
    """ 
        Attributes:
            file_ids (list[str] | Unset): A list of [file](/docs/api-reference/files) IDs made available to the
                `code_interpreter` tool. There can be a maximum of 20 files associated with the tool.
     """

    file_ids: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file_ids: list[str] | Unset = UNSET
        if not isinstance(self.file_ids, Unset):
            file_ids = self.file_ids




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if file_ids is not UNSET:
            field_dict["file_ids"] = file_ids

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_ids = cast(list[str], d.pop("file_ids", UNSET))


        create_thread_request_tool_resources_type_0_code_interpreter = cls(
            file_ids=file_ids,
        )


        create_thread_request_tool_resources_type_0_code_interpreter.additional_properties = d
        return create_thread_request_tool_resources_type_0_code_interpreter

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


#: The JSON field names of CreateThreadRequestToolResourcesType0CodeInterpreter, in the spec's order.
CREATE_THREAD_REQUEST_TOOL_RESOURCES_TYPE_0_CODE_INTERPRETER_FIELDS: tuple[str, ...] = (
    "file_ids",
)
