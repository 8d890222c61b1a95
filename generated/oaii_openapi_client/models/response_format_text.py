from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.response_format_text_type import ResponseFormatTextType






T = TypeVar("T", bound="ResponseFormatText")



@_attrs_define
class ResponseFormatText:
    """ Default response format. Used to generate text responses.

        Attributes:
            type_ (ResponseFormatTextType): The type of response format being defined. Always `text`.
     """

    type_: ResponseFormatTextType
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
        type_ = ResponseFormatTextType(d.pop("type"))




        response_format_text = cls(
            type_=type_,
        )


        response_format_text.additional_properties = d
        return response_format_text

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


#: The JSON field names of ResponseFormatText, in the spec's order.
RESPONSE_FORMAT_TEXT_FIELDS: tuple[str, ...] = (
    "type",
)
