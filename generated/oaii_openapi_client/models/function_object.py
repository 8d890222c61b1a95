from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="FunctionObject")



@_attrs_define
class FunctionObject:
    """ 
        Attributes:
            name (str): The name of the function to be called. Must be a-z, A-Z, 0-9, or contain underscores and dashes,
                with a maximum length of 64.
            description (str | Unset): A description of what the function does, used by the model to choose when and how to
                call the function.
            parameters (FunctionParameters | Unset): The parameters the functions accepts, described as a JSON Schema
                object. See the [guide](/docs/guides/function-calling) for examples, and the [JSON Schema
                reference](https://json-schema.org/understanding-json-schema/) for documentation about the format.

                Omitting `parameters` defines a function with an empty parameter list.
            strict (bool | None | Unset):
     """

    name: str
    description: str | Unset = UNSET
    parameters: FunctionParameters | Unset = UNSET
    strict: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

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
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if strict is not UNSET:
            field_dict["strict"] = strict

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description", UNSET)

        _parameters = d.pop("parameters", UNSET)
        parameters: FunctionParameters | Unset
        if isinstance(_parameters,  Unset):
            parameters = UNSET
        else:
            parameters = FunctionParameters.from_dict(_parameters)




        def _parse_strict(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        strict = _parse_strict(d.pop("strict", UNSET))


        function_object = cls(
            name=name,
            description=description,
            parameters=parameters,
            strict=strict,
        )


        function_object.additional_properties = d
        return function_object

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


#: The JSON field names of FunctionObject, in the spec's order.
FUNCTION_OBJECT_FIELDS: tuple[str, ...] = (
    "description",
    "name",
    "parameters",
    "strict",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.function_parameters import FunctionParameters
