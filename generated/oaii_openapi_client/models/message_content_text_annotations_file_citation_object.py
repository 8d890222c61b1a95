from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_content_text_annotations_file_citation_object_type import MessageContentTextAnnotationsFileCitationObjectType
from typing import cast






T = TypeVar("T", bound="MessageContentTextAnnotationsFileCitationObject")



@_attrs_define
class MessageContentTextAnnotationsFileCitationObject:
    """ A citation within the message that points to a specific quote from a specific File associated with the assistant or
    the message. Generated when the assistant uses the "file_search" tool to search files.

        Attributes:
            type_ (MessageContentTextAnnotationsFileCitationObjectType): Always `file_citation`.
            text (str): The text in the message content that needs to be replaced.
            file_citation (MessageContentTextAnnotationsFileCitationObjectFileCitation):
            start_index (int):
            end_index (int):
     """

    type_: MessageContentTextAnnotationsFileCitationObjectType
    text: str
    file_citation: MessageContentTextAnnotationsFileCitationObjectFileCitation
    start_index: int
    end_index: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text

        file_citation = self.file_citation.to_dict()

        start_index = self.start_index

        end_index = self.end_index


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "text": text,
            "file_citation": file_citation,
            "start_index": start_index,
            "end_index": end_index,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = MessageContentTextAnnotationsFileCitationObjectType(d.pop("type"))




        text = d.pop("text")

        file_citation = MessageContentTextAnnotationsFileCitationObjectFileCitation.from_dict(d.pop("file_citation"))




        start_index = d.pop("start_index")

        end_index = d.pop("end_index")

        message_content_text_annotations_file_citation_object = cls(
            type_=type_,
            text=text,
            file_citation=file_citation,
            start_index=start_index,
            end_index=end_index,
        )


        message_content_text_annotations_file_citation_object.additional_properties = d
        return message_content_text_annotations_file_citation_object

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


#: The JSON field names of MessageContentTextAnnotationsFileCitationObject, in the spec's order.
MESSAGE_CONTENT_TEXT_ANNOTATIONS_FILE_CITATION_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "text",
    "file_citation",
    "start_index",
    "end_index",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.message_content_text_annotations_file_citation_object_file_citation import MessageContentTextAnnotationsFileCitationObjectFileCitation
