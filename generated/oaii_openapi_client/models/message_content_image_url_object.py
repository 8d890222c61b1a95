from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_content_image_url_object_type import MessageContentImageUrlObjectType
from typing import cast






T = TypeVar("T", bound="MessageContentImageUrlObject")



@_attrs_define
class MessageContentImageUrlObject:
    """ References an image URL in the content of a message.

        Attributes:
            type_ (MessageContentImageUrlObjectType): The type of the content part.
            image_url (MessageContentImageUrlObjectImageUrl):
     """

    type_: MessageContentImageUrlObjectType
    image_url: MessageContentImageUrlObjectImageUrl
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        image_url = self.image_url.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "image_url": image_url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = MessageContentImageUrlObjectType(d.pop("type"))




        image_url = MessageContentImageUrlObjectImageUrl.from_dict(d.pop("image_url"))




        message_content_image_url_object = cls(
            type_=type_,
            image_url=image_url,
        )


        message_content_image_url_object.additional_properties = d
        return message_content_image_url_object

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


#: The JSON field names of MessageContentImageUrlObject, in the spec's order.
MESSAGE_CONTENT_IMAGE_URL_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "image_url",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.message_content_image_url_object_image_url import MessageContentImageUrlObjectImageUrl
