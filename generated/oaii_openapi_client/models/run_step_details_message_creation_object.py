from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_details_message_creation_object_type import RunStepDetailsMessageCreationObjectType
from typing import cast






T = TypeVar("T", bound="RunStepDetailsMessageCreationObject")



@_attrs_define
class RunStepDetailsMessageCreationObject:
    """ Details of the message creation by the run step.

        Attributes:
            type_ (RunStepDetailsMessageCreationObjectType): Always `message_creation`.
            message_creation (RunStepDetailsMessageCreationObjectMessageCreation):
     """

    type_: RunStepDetailsMessageCreationObjectType
    message_creation: RunStepDetailsMessageCreationObjectMessageCreation
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        message_creation = self.message_creation.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "message_creation": message_creation,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = RunStepDetailsMessageCreationObjectType(d.pop("type"))




        message_creation = RunStepDetailsMessageCreationObjectMessageCreation.from_dict(d.pop("message_creation"))




        run_step_details_message_creation_object = cls(
            type_=type_,
            message_creation=message_creation,
        )


        run_step_details_message_creation_object.additional_properties = d
        return run_step_details_message_creation_object

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


#: The JSON field names of RunStepDetailsMessageCreationObject, in the spec's order.
RUN_STEP_DETAILS_MESSAGE_CREATION_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "message_creation",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_message_creation_object_message_creation import RunStepDetailsMessageCreationObjectMessageCreation
