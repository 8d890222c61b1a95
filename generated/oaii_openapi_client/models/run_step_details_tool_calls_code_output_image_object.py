from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_details_tool_calls_code_output_image_object_type import RunStepDetailsToolCallsCodeOutputImageObjectType
from typing import cast






T = TypeVar("T", bound="RunStepDetailsToolCallsCodeOutputImageObject")



@_attrs_define
class RunStepDetailsToolCallsCodeOutputImageObject:
    """ 
        Attributes:
            type_ (RunStepDetailsToolCallsCodeOutputImageObjectType): Always `image`.
            image (RunStepDetailsToolCallsCodeOutputImageObjectImage):
     """

    type_: RunStepDetailsToolCallsCodeOutputImageObjectType
    image: RunStepDetailsToolCallsCodeOutputImageObjectImage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        image = self.image.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "image": image,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = RunStepDetailsToolCallsCodeOutputImageObjectType(d.pop("type"))




        image = RunStepDetailsToolCallsCodeOutputImageObjectImage.from_dict(d.pop("image"))




        run_step_details_tool_calls_code_output_image_object = cls(
            type_=type_,
            image=image,
        )


        run_step_details_tool_calls_code_output_image_object.additional_properties = d
        return run_step_details_tool_calls_code_output_image_object

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


#: The JSON field names of RunStepDetailsToolCallsCodeOutputImageObject, in the spec's order.
RUN_STEP_DETAILS_TOOL_CALLS_CODE_OUTPUT_IMAGE_OBJECT_FIELDS: tuple[str, ...] = (
    "type",
    "image",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.run_step_details_tool_calls_code_output_image_object_image import RunStepDetailsToolCallsCodeOutputImageObjectImage
