from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RunToolCallObjectFunction")



@_attrs_define
class RunToolCallObjectFunction:
    """ The function definition.

        Attributes:
            name (str): The name of the function.
            arguments (str): The arguments that the model expects you to pass to the function.
     """

    name: str
    arguments: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        arguments = self.arguments


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "arguments": arguments,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        arguments = d.pop("arguments")

        run_tool_call_object_function = cls(
            name=name,
            arguments=arguments,
        )


        run_tool_call_object_function.additional_properties = d
        return run_tool_call_object_function

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


#: The JSON field names of RunToolCallObjectFunction, in the spec's order.
RUN_TOOL_CALL_OBJECT_FUNCTION_FIELDS: tuple[str, ...] = (
    "name",
    "arguments",
)
