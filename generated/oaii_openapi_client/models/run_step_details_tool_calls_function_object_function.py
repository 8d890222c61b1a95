from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsFunctionObjectFunction")



@_attrs_define
class RunStepDetailsToolCallsFunctionObjectFunction:
    """ The definition of the function that was called.

        Attributes:
            name (str): The name of the function.
            arguments (str): The arguments passed to the function.
            output (None | str | Unset):
     """

    name: str
    arguments: str
    output: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        arguments = self.arguments

        output: None | str | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        else:
            output = self.output


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "arguments": arguments,
        })
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        arguments = d.pop("arguments")

        def _parse_output(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        output = _parse_output(d.pop("output", UNSET))


        run_step_details_tool_calls_function_object_function = cls(
            name=name,
            arguments=arguments,
            output=output,
        )


        run_step_details_tool_calls_function_object_function.additional_properties = d
        return run_step_details_tool_calls_function_object_function

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


#: The JSON field names of RunStepDetailsToolCallsFunctionObjectFunction, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_FUNCTION_OBJECT_FUNCTION_FIELDS: tuple[str, ...] = (
    "name",
    "arguments",
    "output",
)
