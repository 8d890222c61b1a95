from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="MessageContentImageUrlObjectImageUrl")



@_attrs_define
class MessageContentImageUrlObjectImageUrl:
    """ 
        Attributes:
            url (str): The external URL of the image, must be a supported image types: jpeg, jpg, png, gif, webp.
            detail (str | Unset): Specifies the detail level of the image. `low` uses fewer tokens, you can opt in to high
                resolution using `high`. Default value is `auto`
     """

    url: str
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        url = self.url

        detail = self.detail


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "url": url,
        })
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        detail = d.pop("detail", UNSET)

        message_content_image_url_object_image_url = cls(
            url=url,
            detail=detail,
        )


        message_content_image_url_object_image_url.additional_properties = d
        return message_content_image_url_object_image_url

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


#: The JSON field names of MessageContentImageUrlObjectImageUrl, in the spec's order.
MESSAGE_CONTENT_IMAGE_URL_OBJECT_IMAGE_URL_FIELDS: tuple[str, ...] = (
    "url",
    "detail",
)
