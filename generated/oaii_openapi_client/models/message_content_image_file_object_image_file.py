from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="MessageContentImageFileObjectImageFile")



@_attrs_define
class MessageContentImageFileObjectImageFile:
    """ 
        Attributes:
            file_id (str): The [File](/docs/api-reference/files) ID of the image in the message content. Set
                `purpose="vision"` when uploading the File if you need to later display the file content.
            detail (str | Unset): Specifies the detail level of the image if specified by the user. `low` uses fewer tokens,
                you can opt in to high resolution using `high`.
     """

    file_id: str
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        detail = self.detail


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "file_id": file_id,
        })
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_id = d.pop("file_id")

        detail = d.pop("detail", UNSET)

        message_content_image_file_object_image_file = cls(
            file_id=file_id,
            detail=detail,
        )


        message_content_image_file_object_image_file.additional_properties = d
        return message_content_image_file_object_image_file

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


#: The JSON field names of MessageContentImageFileObjectImageFile, in the spec's order.
MESSAGE_CONTENT_IMAGE_FILE_OBJECT_IMAGE_FILE_FIELDS: tuple[str, ...] = (
    "file_id",
    "detail",
)
