from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.assistant_tools_function_type import AssistantToolsFunctionType
from typing import cast






T = TypeVar("T", bound="AssistantToolsFunction")



@_attrs_define
class AssistantToolsFunction:
    """ 
        Attributes:
            type_ (AssistantToolsFunctionType): The type of tool being defined: `function`
            function (FunctionObject):
     """

    type_: AssistantToolsFunctionType
    function: FunctionObject
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        function = self.function.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "function": function,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = AssistantToolsFunctionType(d.pop("type"))




        function = FunctionObject.from_dict(d.pop("function"))




        assistant_tools_function = cls(
            type_=type_,
            function=function,
        )


        assistant_tools_function.additional_properties = d
        return assistant_tools_function

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


#: The JSON field names of AssistantToolsFunction, in the spec's order.
ASSISTANT_TOOLS_FUNCTION_FIELDS: tuple[str, ...] = (
    "type",
    "function",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.function_object import FunctionObject
