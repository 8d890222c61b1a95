from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RunStepObjectLastErrorType0")



@_attrs_define
class RunStepObjectLastErrorType0:
    """ The last error associated with this run step. Will be `null` if there are no errors.

        Attributes:
            code (str): One of `server_error` or `rate_limit_exceeded`.
            message (str): A human-readable description of the error.
     """

    code: str
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "message": message,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        run_step_object_last_error_type_0 = cls(
            code=code,
            message=message,
        )


        run_step_object_last_error_type_0.additional_properties = d
        return run_step_object_last_error_type_0

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


#: The JSON field names of RunStepObjectLastErrorType0, in the spec's order.
RUN_STEP_OBJECT_LAST_ERROR_TYPE_0_FIELDS: tuple[str, ...] = (
    "code",
    "message",
)
