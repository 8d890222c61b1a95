from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_details_tool_calls_code_object_type import RunStepDetailsToolCallsCodeObjectType
from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsCodeObject")



@_attrs_define
class RunStepDetailsToolCallsCodeObject:
    """ Details of the Code Interpreter tool call the run step was involved in.

        Attributes:
            id (str): The ID of the tool call.
            type_ (RunStepDetailsToolCallsCodeObjectType): The type of tool call. This is always going to be
                `code_interpreter` for this type of tool call.
            code_interpreter (RunStepDetailsToolCallsCodeObjectCodeInterpreter): The Code Interpreter tool call definition.
     """

    id: str
    type_: RunStepDetailsToolCallsCodeObjectType
    code_interpreter: RunStepDetailsToolCallsCodeObjectCodeInterpreter
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        code_interpreter = self.code_interpreter.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "code_interpreter": code_interpreter,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = RunStepDetailsToolCallsCodeObjectType(d.pop("type"))




        code_interpreter = RunStepDetailsToolCallsCodeObjectCodeInterpreter.from_dict(d.pop("code_interpreter"))




        run_step_details_tool_calls_code_object = cls(
            id=id,
            type_=type_,
            code_interpreter=code_interpreter,
        )


        run_step_details_tool_calls_code_object.additional_properties = d
        return run_step_details_tool_calls_code_object

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


#: The JSON field names of RunStepDetailsToolCallsCodeObject, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_CODE_OBJECT_FIELDS: tuple[str, ...] = (
    "id",
    "type",
    "code_interpreter",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_tool_calls_code_object_code_interpreter import RunStepDetailsToolCallsCodeObjectCodeInterpreter
