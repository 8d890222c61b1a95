from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsCodeObjectCodeInterpreter")



@_attrs_define
class RunStepDetailsToolCallsCodeObjectCodeInterpreter:
    """ The Code Interpreter tool call definition.

        Attributes:
            input_ (str): The input to the Code Interpreter tool call.
            outputs (list[RunStepDetailsToolCallsCodeOutputImageObject | RunStepDetailsToolCallsCodeOutputLogsObject |
                UnknownObject]): The outputs from the Code Interpreter tool call. Code Interpreter can output one or more items,
                including text (`logs`) or images (`image`). Each of these are represented by a different object type.
     """

    input_: str
    outputs: list[RunStepDetailsToolCallsCodeOutputImageObject | RunStepDetailsToolCallsCodeOutputLogsObject | UnknownObject]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_

        outputs = []
        for outputs_item_data in self.outputs:
            outputs_item: dict[str, Any]
            if isinstance(outputs_item_data, RunStepDetailsToolCallsCodeOutputLogsObject):
                outputs_item = outputs_item_data.to_dict()
            elif isinstance(outputs_item_data, RunStepDetailsToolCallsCodeOutputImageObject):
                outputs_item = outputs_item_data.to_dict()
            else:
                outputs_item = outputs_item_data.to_dict()

            outputs.append(outputs_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "input": input_,
            "outputs": outputs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        input_ = d.pop("input")

        outputs = []
        _outputs = d.pop("outputs")
        for outputs_item_data in (_outputs):
            def _parse_outputs_item(data: object) -> RunStepDetailsToolCallsCodeOutputImageObject | RunStepDetailsToolCallsCodeOutputLogsObject | UnknownObject:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    outputs_item_type_0 = RunStepDetailsToolCallsCodeOutputLogsObject.from_dict(data)



                    return outputs_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    outputs_item_type_1 = RunStepDetailsToolCallsCodeOutputImageObject.from_dict(data)



                    return outputs_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                outputs_item_type_2 = UnknownObject.from_dict(data)



                return outputs_item_type_2

            outputs_item = _parse_outputs_item(outputs_item_data)

            outputs.append(outputs_item)


        run_step_details_tool_calls_code_object_code_interpreter = cls(
            input_=input_,
            outputs=outputs,
        )


        run_step_details_tool_calls_code_object_code_interpreter.additional_properties = d
        return run_step_details_tool_calls_code_object_code_interpreter

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


#: The JSON field names of RunStepDetailsToolCallsCodeObjectCodeInterpreter, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_CODE_OBJECT_CODE_INTERPRETER_FIELDS: tuple[str, ...] = (
    "input",
    "outputs",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_tool_calls_code_output_image_object import RunStepDetailsToolCallsCodeOutputImageObject
from ..models.run_step_details_tool_calls_code_output_logs_object import RunStepDetailsToolCallsCodeOutputLogsObject
from ..models.unknown_object import UnknownObject
