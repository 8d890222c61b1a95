from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SubmitToolOutputsRunRequest")



@_attrs_define
class SubmitToolOutputsRunRequest:
    """ 
        Attributes:
            tool_outputs (list[SubmitToolOutputsRunRequestToolOutputsItem]): A list of tools for which the outputs are being
                submitted.
            stream (bool | None | Unset):
     """

    tool_outputs: list[SubmitToolOutputsRunRequestToolOutputsItem]
    stream: bool | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        tool_outputs = []
        for tool_outputs_item_data in self.tool_outputs:
            tool_outputs_item = tool_outputs_item_data.to_dict()
            tool_outputs.append(tool_outputs_item)



        stream: bool | None | Unset
        if isinstance(self.stream, Unset):
            stream = UNSET
        else:
            stream = self.stream


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "tool_outputs": tool_outputs,
        })
        if stream is not UNSET:
            field_dict["stream"] = stream

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tool_outputs = []
        _tool_outputs = d.pop("tool_outputs")
        for tool_outputs_item_data in (_tool_outputs):
            tool_outputs_item = SubmitToolOutputsRunRequestToolOutputsItem.from_dict(tool_outputs_item_data)



            tool_outputs.append(tool_outputs_item)


        def _parse_stream(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        stream = _parse_stream(d.pop("stream", UNSET))


        submit_tool_outputs_run_request = cls(
            tool_outputs=tool_outputs,
            stream=stream,
        )

        return submit_tool_outputs_run_request



#: The JSON field names of SubmitToolOutputsRunRequest, in the spec's order.
SUBMIT_TOOL_OUTPUTS_RUN_REQUEST_FIELDS: tuple[str, ...] = (
    "tool_outputs",
    "stream",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.submit_tool_outputs_run_request_tool_outputs_item import SubmitToolOutputsRunRequestToolOutputsItem
