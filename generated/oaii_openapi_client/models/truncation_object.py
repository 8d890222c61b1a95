from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TruncationObject")



@_attrs_define
class TruncationObject:
    """ Controls for how a thread will be truncated prior to the run. Use this to control the initial context window of the
    run.

        Attributes:
            type_ (str): The truncation strategy to use for the thread. The default is `auto`. If set to `last_messages`,
                the thread will be truncated to the n most recent messages in the thread. When set to `auto`, messages in the
                middle of the thread will be dropped to fit the context length of the model, `max_prompt_tokens`.
            last_messages (int | None | Unset):
     """

    type_: str
    last_messages: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        last_messages: int | None | Unset
        if isinstance(self.last_messages, Unset):
            last_messages = UNSET
        else:
            last_messages = self.last_messages


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })
        if last_messages is not UNSET:
            field_dict["last_messages"] = last_messages

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        def _parse_last_messages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_messages = _parse_last_messages(d.pop("last_messages", UNSET))


        truncation_object = cls(
            type_=type_,
            last_messages=last_messages,
        )


        truncation_object.additional_properties = d
        return truncation_object

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


#: The JSON field names of TruncationObject, in the spec's order.
TRUNCATION_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "last_messages",
)
