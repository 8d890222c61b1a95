from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="RunObjectRequiredActionType0SubmitToolOutputs")



@_attrs_define
class RunObjectRequiredActionType0SubmitToolOutputs:
    """ Details on the tool outputs needed for this run to continue.

        Attributes:
            tool_calls (list[RunToolCallObject]): A list of the relevant tool calls.
     """

    tool_calls: list[RunToolCallObject]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        tool_calls = []
        for tool_calls_item_data in self.tool_calls:
            tool_calls_item = tool_calls_item_data.to_dict()
            tool_calls.append(tool_calls_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "tool_calls": tool_calls,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tool_calls = []
        _tool_calls = d.pop("tool_calls")
        for tool_calls_item_data in (_tool_calls):
            tool_calls_item = RunToolCallObject.from_dict(tool_calls_item_data)



            tool_calls.append(tool_calls_item)


        run_object_required_action_type_0_submit_tool_outputs = cls(
            tool_calls=tool_calls,
        )


        run_object_required_action_type_0_submit_tool_outputs.additional_properties = d
        return run_object_required_action_type_0_submit_tool_outputs

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


#: The JSON field names of RunObjectRequiredActionType0SubmitToolOutputs, in the spec's order.
RUN_OBJECT_REQUIRED_ACTION_TYPE_0_SUBMIT_TOOL_OUTPUTS_FIELDS: tuple[str, ...] = (
    "tool_calls",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_tool_call_object import RunToolCallObject
