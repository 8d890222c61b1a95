from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_details_tool_calls_function_object_type import RunStepDetailsToolCallsFunctionObjectType
from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsFunctionObject")



@_attrs_define
class RunStepDetailsToolCallsFunctionObject:
    """ 
        Attributes:
            id (str): The ID of the tool call object.
            type_ (RunStepDetailsToolCallsFunctionObjectType): The type of tool call. This is always going to be `function`
                for this type of tool call.
            function (RunStepDetailsToolCallsFunctionObjectFunction): The definition of the function that was called.
     """

    id: str
    type_: RunStepDetailsToolCallsFunctionObjectType
    function: RunStepDetailsToolCallsFunctionObjectFunction
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

        type_ = RunStepDetailsToolCallsFunctionObjectType(d.pop("type"))




        function = RunStepDetailsToolCallsFunctionObjectFunction.from_dict(d.pop("function"))




        run_step_details_tool_calls_function_object = cls(
            id=id,
            type_=type_,
            function=function,
        )


        run_step_details_tool_calls_function_object.additional_properties = d
        return run_step_details_tool_calls_function_object

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


#: The JSON field names of RunStepDetailsToolCallsFunctionObject, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_FUNCTION_OBJECT_FIELDS: tuple[str, ...] = (
    "id",
    "type",
    "function",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_tool_calls_function_object_function import RunStepDetailsToolCallsFunctionObjectFunction
