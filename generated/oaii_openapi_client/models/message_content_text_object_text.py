from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="MessageContentTextObjectText")



@_attrs_define
class MessageContentTextObjectText:
    """ 
        Attributes:
            value (str): The data that makes up the text.
            annotations (list[MessageContentTextAnnotationsFileCitationObject | MessageContentTextAnnotationsFilePathObject
                | UnknownObject]):
     """

    value: str
    annotations: list[MessageContentTextAnnotationsFileCitationObject | MessageContentTextAnnotationsFilePathObject | UnknownObject]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        value = self.value

        annotations = []
        for annotations_item_data in self.annotations:
            annotations_item: dict[str, Any]
            if isinstance(annotations_item_data, MessageContentTextAnnotationsFileCitationObject):
                annotations_item = annotations_item_data.to_dict()
            elif isinstance(annotations_item_data, MessageContentTextAnnotationsFilePathObject):
                annotations_item = annotations_item_data.to_dict()
            else:
                annotations_item = annotations_item_data.to_dict()

            annotations.append(annotations_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "value": value,
            "annotations": annotations,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        value = d.pop("value")

        annotations = []
        _annotations = d.pop("annotations")
        for annotations_item_data in (_annotations):
            def _parse_annotations_item(data: object) -> MessageContentTextAnnotationsFileCitationObject | MessageContentTextAnnotationsFilePathObject | UnknownObject:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    annotations_item_type_0 = MessageContentTextAnnotationsFileCitationObject.from_dict(data)



                    return annotations_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    annotations_item_type_1 = MessageContentTextAnnotationsFilePathObject.from_dict(data)



                    return annotations_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                annotations_item_type_2 = UnknownObject.from_dict(data)



                return annotations_item_type_2

            annotations_item = _parse_annotations_item(annotations_item_data)

            annotations.append(annotations_item)


        message_content_text_object_text = cls(
            value=value,
            annotations=annotations,
        )


        message_content_text_object_text.additional_properties = d
        return message_content_text_object_text

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


#: The JSON field names of MessageContentTextObjectText, in the spec's order.
MESSAGE_CONTENT_TEXT_OBJECT_TEXT_FIELDS: tuple[str, ...] = (
    "value",
    "annotations",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.message_content_text_annotations_file_citation_object import MessageContentTextAnnotationsFileCitationObject
from ..models.message_content_text_annotations_file_path_object import MessageContentTextAnnotationsFilePathObject
from ..models.unknown_object import UnknownObject
