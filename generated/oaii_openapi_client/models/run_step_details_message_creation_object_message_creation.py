from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RunStepDetailsMessageCreationObjectMessageCreation")



@_attrs_define
class RunStepDetailsMessageCreationObjectMessageCreation:
    """ 
        Attributes:
            message_id (str): The ID of the message that was created by this run step.
     """

    message_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "message_id": message_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message_id = d.pop("message_id")

        run_step_details_message_creation_object_message_creation = cls(
            message_id=message_id,
        )


        run_step_details_message_creation_object_message_creation.additional_properties = d
        return run_step_details_message_creation_object_message_creation

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


#: The JSON field names of RunStepDetailsMessageCreationObjectMessageCreation, in the spec's order.
RUN_STEP_DETAILS_MESSAGE_CREATION_OBJECT_MESSAGE_CREATION_FIELDS: tuple[str, ...] = (
    "message_id",
)
