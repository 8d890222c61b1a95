from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_content_text_annotations_file_path_object_type import MessageContentTextAnnotationsFilePathObjectType
from typing import cast






T = TypeVar("T", bound="MessageContentTextAnnotationsFilePathObject")



@_attrs_define
class MessageContentTextAnnotationsFilePathObject:
    """ A URL for the file that's generated when the assistant used the `code_interpreter` tool to generate a file.

        Attributes:
            type_ (MessageContentTextAnnotationsFilePathObjectType): Always `file_path`.
            text (str): The text in the message content that needs to be replaced.
            file_path (MessageContentTextAnnotationsFilePathObjectFilePath):
            start_index (int):
            end_index (int):
     """

    type_: MessageContentTextAnnotationsFilePathObjectType
    text: str
    file_path: MessageContentTextAnnotationsFilePathObjectFilePath
    start_index: int
    end_index: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text

        file_path = self.file_path.to_dict()

        start_index = self.start_index

        end_index = self.end_index


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "text": text,
            "file_path": file_path,
            "start_index": start_index,
            "end_index": end_index,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = MessageContentTextAnnotationsFilePathObjectType(d.pop("type"))




        text = d.pop("text")

        file_path = MessageContentTextAnnotationsFilePathObjectFilePath.from_dict(d.pop("file_path"))




        start_index = d.pop("start_index")

        end_index = d.pop("end_index")

        message_content_text_annotations_file_path_object = cls(
            type_=type_,
            text=text,
            file_path=file_path,
            start_index=start_index,
            end_index=end_index,
        )


        message_content_text_annotations_file_path_object.additional_properties = d
        return message_content_text_annotations_file_path_object

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


#: The JSON field names of MessageContentTextAnnotationsFilePathObject, in the spec's order.
MESSAGE_CONTENT_TEXT_ANNOTATIONS_FILE_PATH_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "text",
    "file_path",
    "start_index",
    "end_index",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.message_content_text_annotations_file_path_object_file_path import MessageContentTextAnnotationsFilePathObjectFilePath
