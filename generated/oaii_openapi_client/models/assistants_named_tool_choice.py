from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AssistantsNamedToolChoice")



@_attrs_define
class AssistantsNamedToolChoice:
    """ Specifies a tool the model should use. Use to force the model to call a specific tool.

        Attributes:
            type_ (str): The type of the tool. If type is `function`, the function name must be set
            function (AssistantsNamedToolChoiceFunction | Unset):
     """

    type_: str
    function: AssistantsNamedToolChoiceFunction | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        function: dict[str, Any] | Unset = UNSET
        if not isinstance(self.function, Unset):
            function = self.function.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })
        if function is not UNSET:
            field_dict["function"] = function

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        _function = d.pop("function", UNSET)
        function: AssistantsNamedToolChoiceFunction | Unset
        if isinstance(_function,  Unset):
            function = UNSET
        else:
            function = AssistantsNamedToolChoiceFunction.from_dict(_function)




        assistants_named_tool_choice = cls(
            type_=type_,
            function=function,
        )


        assistants_named_tool_choice.additional_properties = d
        return assistants_named_tool_choice

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


#: The JSON field names of AssistantsNamedToolChoice, in the spec's order.
ASSISTANTS_NAMED_TOOL_CHOICE_FIELDS: tuple[str, ...] = (
    "type",
    "function",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.assistants_named_tool_choice_function import AssistantsNamedToolChoiceFunction
