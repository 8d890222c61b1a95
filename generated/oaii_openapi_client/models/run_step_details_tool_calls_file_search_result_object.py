from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsFileSearchResultObject")



@_attrs_define
class RunStepDetailsToolCallsFileSearchResultObject:
    """ A result instance of the file search.

        Attributes:
            file_id (str): The ID of the file that result was found in.
            file_name (str): The name of the file that result was found in.
            score (float): The score of the result. All values must be a floating point number between 0 and 1.
            content (list[RunStepDetailsToolCallsFileSearchResultObjectContentItem] | Unset): The content of the result that
                was found. The content is only included if requested via the include query parameter.
     """

    file_id: str
    file_name: str
    score: float
    content: list[RunStepDetailsToolCallsFileSearchResultObjectContentItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        file_name = self.file_name

        score = self.score

        content: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = []
            for content_item_data in self.content:
                content_item = content_item_data.to_dict()
                content.append(content_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "file_id": file_id,
            "file_name": file_name,
            "score": score,
        })
        if content is not UNSET:
            field_dict["content"] = content

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_id = d.pop("file_id")

        file_name = d.pop("file_name")

        score = d.pop("score")

        _content = d.pop("content", UNSET)
        content: list[RunStepDetailsToolCallsFileSearchResultObjectContentItem] | Unset = UNSET
        if _content is not UNSET:
            content = []
            for content_item_data in _content:
                content_item = RunStepDetailsToolCallsFileSearchResultObjectContentItem.from_dict(content_item_data)



                content.append(content_item)


        run_step_details_tool_calls_file_search_result_object = cls(
            file_id=file_id,
            file_name=file_name,
            score=score,
            content=content,
        )


        run_step_details_tool_calls_file_search_result_object.additional_properties = d
        return run_step_details_tool_calls_file_search_result_object

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


#: The JSON field names of RunStepDetailsToolCallsFileSearchResultObject, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_FILE_SEARCH_RESULT_OBJECT_FIELDS: tuple[str, ...] = (
    "file_id",
    "file_name",
    "score",
    "content",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_tool_calls_file_search_result_object_content_item import RunStepDetailsToolCallsFileSearchResultObjectContentItem
