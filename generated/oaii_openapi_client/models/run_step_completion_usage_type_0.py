from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RunStepCompletionUsageType0")



@_attrs_define
class RunStepCompletionUsageType0:
    """ Usage statistics related to the run step. This value will be `null` while the run step's status is `in_progress`.

        Attributes:
            completion_tokens (int): Number of completion tokens used over the course of the run step.
            prompt_tokens (int): Number of prompt tokens used over the course of the run step.
            total_tokens (int): Total number of tokens used (prompt + completion).
     """

    completion_tokens: int
    prompt_tokens: int
    total_tokens: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        completion_tokens = self.completion_tokens

        prompt_tokens = self.prompt_tokens

        total_tokens = self.total_tokens


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "completion_tokens": completion_tokens,
            "prompt_tokens": prompt_tokens,
            "total_tokens": total_tokens,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        completion_tokens = d.pop("completion_tokens")

        prompt_tokens = d.pop("prompt_tokens")

        total_tokens = d.pop("total_tokens")

        run_step_completion_usage_type_0 = cls(
            completion_tokens=completion_tokens,
            prompt_tokens=prompt_tokens,
            total_tokens=total_tokens,
        )


        run_step_completion_usage_type_0.additional_properties = d
        return run_step_completion_usage_type_0

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


#: The JSON field names of RunStepCompletionUsageType0, in the spec's order.
RUN_STEP_COMPLETION_USAGE_TYPE_0_FIELDS: tuple[str, ...] = (
    "completion_tokens",
    "prompt_tokens",
    "total_tokens",
)
