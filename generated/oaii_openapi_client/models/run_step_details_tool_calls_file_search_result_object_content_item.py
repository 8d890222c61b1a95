from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_details_tool_calls_file_search_result_object_content_item_type import RunStepDetailsToolCallsFileSearchResultObjectContentItemType
from ..types import UNSET, Unset






T = TypeVar("T", bound="RunStepDetailsToolCallsFileSearchResultObjectContentItem")



@_attrs_define
class RunStepDetailsToolCallsFileSearchResultObjectContentItem:
    """ 
        Attributes:
            type_ (RunStepDetailsToolCallsFileSearchResultObjectContentItemType | Unset): The type of the content.
            text (str | Unset): The text content of the file.
     """

    type_: RunStepDetailsToolCallsFileSearchResultObjectContentItemType | Unset = UNSET
    text: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value


        text = self.text


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if type_ is not UNSET:
            field_dict["type"] = type_
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _type_ = d.pop("type", UNSET)
        type_: RunStepDetailsToolCallsFileSearchResultObjectContentItemType | Unset
        if isinstance(_type_,  Unset):
            type_ = UNSET
        else:
            type_ = RunStepDetailsToolCallsFileSearchResultObjectContentItemType(_type_)




        text = d.pop("text", UNSET)

        run_step_details_tool_calls_file_search_result_object_content_item = cls(
            type_=type_,
            text=text,
        )


        run_step_details_tool_calls_file_search_result_object_content_item.additional_properties = d
        return run_step_details_tool_calls_file_search_result_object_content_item

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


#: The JSON field names of RunStepDetailsToolCallsFileSearchResultObjectContentItem, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_FILE_SEARCH_RESULT_OBJECT_CONTENT_ITEM_FIELDS: tuple[str, ...] = (
    "type",
    "text",
)
