from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_object_required_action_type_0_type import RunObjectRequiredActionType0Type
from typing import cast






T = TypeVar("T", bound="RunObjectRequiredActionType0")



@_attrs_define
class RunObjectRequiredActionType0:
    """ Details on the action required to continue the run. Will be `null` if no action is required.

        Attributes:
            type_ (RunObjectRequiredActionType0Type): For now, this is always `submit_tool_outputs`.
            submit_tool_outputs (RunObjectRequiredActionType0SubmitToolOutputs): Details on the tool outputs needed for this
                run to continue.
     """

    type_: RunObjectRequiredActionType0Type
    submit_tool_outputs: RunObjectRequiredActionType0SubmitToolOutputs
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        submit_tool_outputs = self.submit_tool_outputs.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "submit_tool_outputs": submit_tool_outputs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = RunObjectRequiredActionType0Type(d.pop("type"))




        submit_tool_outputs = RunObjectRequiredActionType0SubmitToolOutputs.from_dict(d.pop("submit_tool_outputs"))




        run_object_required_action_type_0 = cls(
            type_=type_,
            submit_tool_outputs=submit_tool_outputs,
        )


        run_object_required_action_type_0.additional_properties = d
        return run_object_required_action_type_0

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


#: The JSON field names of RunObjectRequiredActionType0, in the spec's order.
RUN_OBJECT_REQUIRED_ACTION_TYPE_0_FIELDS: tuple[str, ...] = (
    "type",
    "submit_tool_outputs",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_object_required_action_type_0_submit_tool_outputs import RunObjectRequiredActionType0SubmitToolOutputs
