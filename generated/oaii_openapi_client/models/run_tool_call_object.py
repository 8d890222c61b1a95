from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_tool_call_object_type import RunToolCallObjectType
from typing import cast






T = TypeVar("T", bound="RunToolCallObject")



@_attrs_define
class RunToolCallObject:
    """ Tool call objects

        Attributes:
            id (str): The ID of the tool call. This ID must be referenced when you submit the tool outputs in using the
                [Submit tool outputs to run](/docs/api-reference/runs/submitToolOutputs) endpoint.
            type_ (RunToolCallObjectType): The type of tool call the output is required for. For now, this is always
                `function`.
            function (RunToolCallObjectFunction): The function definition.
     """

    id: str
    type_: RunToolCallObjectType
    function: RunToolCallObjectFunction
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        function = self.function.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "function": function,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = RunToolCallObjectType(d.pop("type"))




        function = RunToolCallObjectFunction.from_dict(d.pop("function"))




        run_tool_call_object = cls(
            id=id,
            type_=type_,
            function=function,
        )


        run_tool_call_object.additional_properties = d
        return run_tool_call_object

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


#: The JSON field names of RunToolCallObject, in the spec's order.
RUN_TOOL_CALL_OBJECT_FIELDS: tuple[str, ...] = (
    "id",
    "type",
    "function",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_tool_call_object_function import RunToolCallObjectFunction
