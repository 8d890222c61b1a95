from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_content_text_object_type import MessageContentTextObjectType
from typing import cast






T = TypeVar("T", bound="MessageContentTextObject")



@_attrs_define
class MessageContentTextObject:
    """ The text content that is part of a message.

        Attributes:
            type_ (MessageContentTextObjectType): Always `text`.
            text (MessageContentTextObjectText):
     """

    type_: MessageContentTextObjectType
    text: MessageContentTextObjectText
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "text": text,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = MessageContentTextObjectType(d.pop("type"))




        text = MessageContentTextObjectText.from_dict(d.pop("text"))




        message_content_text_object = cls(
            type_=type_,
            text=text,
        )


        message_content_text_object.additional_properties = d
        return message_content_text_object

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


#: The JSON field names of MessageContentTextObject, in the spec's order.
MESSAGE_CONTENT_TEXT_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "text",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.message_content_text_object_text import MessageContentTextObjectText
