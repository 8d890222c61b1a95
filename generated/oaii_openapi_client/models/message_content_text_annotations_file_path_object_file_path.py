from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MessageContentTextAnnotationsFilePathObjectFilePath")



@_attrs_define
class MessageContentTextAnnotationsFilePathObjectFilePath:
    """ 
        Attributes:
            file_id (str): The ID of the file that was generated.
     """

    file_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "file_id": file_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_id = d.pop("file_id")

        message_content_text_annotations_file_path_object_file_path = cls(
            file_id=file_id,
        )


        message_content_text_annotations_file_path_object_file_path.additional_properties = d
        return message_content_text_annotations_file_path_object_file_path

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


#: The JSON field names of MessageContentTextAnnotationsFilePathObjectFilePath, in the spec's order.
MESSAGE_CONTENT_TEXT_ANNOTATIONS_FILE_PATH_OBJECT_FILE_PATH_FIELDS: tuple[str, ...] = (
    "file_id",
)
