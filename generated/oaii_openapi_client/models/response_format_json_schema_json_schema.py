from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ResponseFormatJsonSchemaJsonSchema")



@_attrs_define
class ResponseFormatJsonSchemaJsonSchema:
    """ Structured Outputs configuration options, including a JSON Schema.

        Attributes:
            name (str): The name of the response format. Must be a-z, A-Z, 0-9, or contain
                underscores and dashes, with a maximum length of 64.
            description (str | Unset): A description of what the response format is for, used by the model to
                determine how to respond in the format.
            schema (ResponseFormatJsonSchemaSchema | Unset): The schema for the response format, described as a JSON Schema
                object.
                Learn how to build JSON schemas [here](https://json-schema.org/).
            strict (bool | None | Unset):
     """

    name: str
    description: str | Unset = UNSET
    schema: ResponseFormatJsonSchemaSchema | Unset = UNSET
    strict: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        schema: dict[str, Any] | Unset = UNSET
        if not isinstance(self.schema, Unset):
            schema = self.schema.to_dict()

        strict: bool | None | Unset
        if isinstance(self.strict, Unset):
            strict = UNSET
        else:
            strict = self.strict


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if schema is not UNSET:
            field_dict["schema"] = schema
        if strict is not UNSET:
            field_dict["strict"] = strict

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description", UNSET)

        _schema = d.pop("schema", UNSET)
        schema: ResponseFormatJsonSchemaSchema | Unset
        if isinstance(_schema,  Unset):
            schema = UNSET
        else:
            schema = ResponseFormatJsonSchemaSchema.from_dict(_schema)




        def _parse_strict(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        strict = _parse_strict(d.pop("strict", UNSET))


        response_format_json_schema_json_schema = cls(
            name=name,
            description=description,
            schema=schema,
            strict=strict,
        )


        response_format_json_schema_json_schema.additional_properties = d
        return response_format_json_schema_json_schema

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


#: The JSON field names of ResponseFormatJsonSchemaJsonSchema, in the spec's order.
RESPONSE_FORMAT_JSON_SCHEMA_JSON_SCHEMA_FIELDS: tuple[str, ...] = (
    "description",
    "name",
    "schema",
    "strict",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.response_format_json_schema_schema import ResponseFormatJsonSchemaSchema
