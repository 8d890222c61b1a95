from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.assistant_tools_code_type import AssistantToolsCodeType






T = TypeVar("T", bound="AssistantToolsCode")



@_attrs_define
class AssistantToolsCode:
    """ 
        Attributes:
            type_ (AssistantToolsCodeType): The type of tool being defined: `code_interpreter`
     """

    type_: AssistantToolsCodeType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = AssistantToolsCodeType(d.pop("type"))




        assistant_tools_code = cls(
            type_=type_,
        )


        assistant_tools_code.additional_properties = d
        return assistant_tools_code

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


#: The JSON field names of AssistantToolsCode, in the spec's order.
ASSISTANT_TOOLS_CODE_FIELDS: tuple[str, ...] = (
    "type",
)
