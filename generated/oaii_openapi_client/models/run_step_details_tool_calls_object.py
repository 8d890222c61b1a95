from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_details_tool_calls_object_type import RunStepDetailsToolCallsObjectType
from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsObject")



@_attrs_define
class RunStepDetailsToolCallsObject:
    """ Details of the tool call.

        Attributes:
            type_ (RunStepDetailsToolCallsObjectType): Always `tool_calls`.
            tool_calls (list[RunStepDetailsToolCallsCodeObject | RunStepDetailsToolCallsFileSearchObject |
                RunStepDetailsToolCallsFunctionObject | UnknownObject]): An array of tool calls the run step was involved in.
                These can be associated with one of three types of tools: `code_interpreter`, `file_search`, or `function`.
     """

    type_: RunStepDetailsToolCallsObjectType
    tool_calls: list[RunStepDetailsToolCallsCodeObject | RunStepDetailsToolCallsFileSearchObject | RunStepDetailsToolCallsFunctionObject | UnknownObject]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        tool_calls = []
        for tool_calls_item_data in self.tool_calls:
            tool_calls_item: dict[str, Any]
            if isinstance(tool_calls_item_data, RunStepDetailsToolCallsCodeObject):
                tool_calls_item = tool_calls_item_data.to_dict()
            elif isinstance(tool_calls_item_data, RunStepDetailsToolCallsFileSearchObject):
                tool_calls_item = tool_calls_item_data.to_dict()
            elif isinstance(tool_calls_item_data, RunStepDetailsToolCallsFunctionObject):
                tool_calls_item = tool_calls_item_data.to_dict()
            else:
                tool_calls_item = tool_calls_item_data.to_dict()

            tool_calls.append(tool_calls_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "tool_calls": tool_calls,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = RunStepDetailsToolCallsObjectType(d.pop("type"))




        tool_calls = []
        _tool_calls = d.pop("tool_calls")
        for tool_calls_item_data in (_tool_calls):
            def _parse_tool_calls_item(data: object) -> RunStepDetailsToolCallsCodeObject | RunStepDetailsToolCallsFileSearchObject | RunStepDetailsToolCallsFunctionObject | UnknownObject:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    tool_calls_item_type_0 = RunStepDetailsToolCallsCodeObject.from_dict(data)



                    return tool_calls_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    tool_calls_item_type_1 = RunStepDetailsToolCallsFileSearchObject.from_dict(data)



                    return tool_calls_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    tool_calls_item_type_2 = RunStepDetailsToolCallsFunctionObject.from_dict(data)



                    return tool_calls_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                tool_calls_item_type_3 = UnknownObject.from_dict(data)



                return tool_calls_item_type_3

            tool_calls_item = _parse_tool_calls_item(tool_calls_item_data)

            tool_calls.append(tool_calls_item)


        run_step_details_tool_calls_object = cls(
            type_=type_,
            tool_calls=tool_calls,
        )


        run_step_details_tool_calls_object.additional_properties = d
        return run_step_details_tool_calls_object

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


#: The JSON field names of RunStepDetailsToolCallsObject, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "tool_calls",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_tool_calls_code_object import RunStepDetailsToolCallsCodeObject
from ..models.run_step_details_tool_calls_file_search_object import RunStepDetailsToolCallsFileSearchObject
from ..models.run_step_details_tool_calls_function_object import RunStepDetailsToolCallsFunctionObject
from ..models.unknown_object import UnknownObject
