from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_details_tool_calls_code_output_logs_object_type import RunStepDetailsToolCallsCodeOutputLogsObjectType






T = TypeVar("T", bound="RunStepDetailsToolCallsCodeOutputLogsObject")



@_attrs_define
class RunStepDetailsToolCallsCodeOutputLogsObject:
    """ Text output from the Code Interpreter tool call as part of a run step.

        Attributes:
            type_ (RunStepDetailsToolCallsCodeOutputLogsObjectType): Always `logs`.
            logs (str): The text output from the Code Interpreter tool call.
     """

    type_: RunStepDetailsToolCallsCodeOutputLogsObjectType
    logs: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        logs = self.logs


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "logs": logs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = RunStepDetailsToolCallsCodeOutputLogsObjectType(d.pop("type"))




        logs = d.pop("logs")

        run_step_details_tool_calls_code_output_logs_object = cls(
            type_=type_,
            logs=logs,
        )


        run_step_details_tool_calls_code_output_logs_object.additional_properties = d
        return run_step_details_tool_calls_code_output_logs_object

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


#: The JSON field names of RunStepDetailsToolCallsCodeOutputLogsObject, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_CODE_OUTPUT_LOGS_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "logs",
)
