from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.response_format_json_schema_type import ResponseFormatJsonSchemaType
from typing import cast






T = TypeVar("T", bound="ResponseFormatJsonSchema")



@_attrs_define
class ResponseFormatJsonSchema:
    """ JSON Schema response format. Used to generate structured JSON responses.
    Learn more about [Structured Outputs](/docs/guides/structured-outputs).

        Attributes:
            type_ (ResponseFormatJsonSchemaType): The type of response format being defined. Always `json_schema`.
            json_schema (ResponseFormatJsonSchemaJsonSchema): Structured Outputs configuration options, including a JSON
                Schema.
     """

    type_: ResponseFormatJsonSchemaType
    json_schema: ResponseFormatJsonSchemaJsonSchema
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        json_schema = self.json_schema.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "json_schema": json_schema,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = ResponseFormatJsonSchemaType(d.pop("type"))




        json_schema = ResponseFormatJsonSchemaJsonSchema.from_dict(d.pop("json_schema"))




        response_format_json_schema = cls(
            type_=type_,
            json_schema=json_schema,
        )


        response_format_json_schema.additional_properties = d
        return response_format_json_schema

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


#: The JSON field names of ResponseFormatJsonSchema, in the spec's order.
RESPONSE_FORMAT_JSON_SCHEMA_FIELDS: tuple[str, ...] = (
    "type",
    "json_schema",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.response_format_json_schema_json_schema import ResponseFormatJsonSchemaJsonSchema
