from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.response_format_json_object_type import ResponseFormatJsonObjectType






T = TypeVar("T", bound="ResponseFormatJsonObject")



@_attrs_define
class ResponseFormatJsonObject:
    """ JSON object response format. An older method of generating JSON responses.
    Using `json_schema` is recommended for models that support it. Note that the
    model will not generate JSON without a system or user message instructing it
    to do so.

        Attributes:
            type_ (ResponseFormatJsonObjectType): The type of response format being defined. Always `json_object`.
     """

    type_: ResponseFormatJsonObjectType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = ResponseFormatJsonObjectType(d.pop("type"))




        response_format_json_object = cls(
            type_=type_,
        )


        response_format_json_object.additional_properties = d
        return response_format_json_object

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


#: The JSON field names of ResponseFormatJsonObject, in the spec's order.
RESPONSE_FORMAT_JSON_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
)
