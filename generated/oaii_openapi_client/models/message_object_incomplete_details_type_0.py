from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MessageObjectIncompleteDetailsType0")



@_attrs_define
class MessageObjectIncompleteDetailsType0:
    """ On an incomplete message, details about why the message is incomplete.

        Attributes:
            reason (str): The reason the message is incomplete.
     """

    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        message_object_incomplete_details_type_0 = cls(
            reason=reason,
        )


        message_object_incomplete_details_type_0.additional_properties = d
        return message_object_incomplete_details_type_0

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


#: The JSON field names of MessageObjectIncompleteDetailsType0, in the spec's order.
MESSAGE_OBJECT_INCOMPLETE_DETAILS_TYPE_0_FIELDS: tuple[str, ...] = (
    "reason",
)
