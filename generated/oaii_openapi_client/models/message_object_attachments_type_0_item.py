from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="MessageObjectAttachmentsType0Item")



@_attrs_define
class MessageObjectAttachmentsType0Item:
    """ 
        Attributes:
            file_id (str | Unset): The ID of the file to attach to the message.
            tools (list[AssistantToolsCode | AssistantToolsFileSearchTypeOnly | UnknownObject] | Unset): The tools to add
                this file to.
     """

    file_id: str | Unset = UNSET
    tools: list[AssistantToolsCode | AssistantToolsFileSearchTypeOnly | UnknownObject] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        tools: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item: dict[str, Any]
                if isinstance(tools_item_data, AssistantToolsCode):
                    tools_item = tools_item_data.to_dict()
                elif isinstance(tools_item_data, AssistantToolsFileSearchTypeOnly):
                    tools_item = tools_item_data.to_dict()
                else:
                    tools_item = tools_item_data.to_dict()

                tools.append(tools_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if file_id is not UNSET:
            field_dict["file_id"] = file_id
        if tools is not UNSET:
            field_dict["tools"] = tools

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_id = d.pop("file_id", UNSET)

        _tools = d.pop("tools", UNSET)
        tools: list[AssistantToolsCode | AssistantToolsFileSearchTypeOnly | UnknownObject] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                def _parse_tools_item(data: object) -> AssistantToolsCode | AssistantToolsFileSearchTypeOnly | UnknownObject:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        tools_item_type_0 = AssistantToolsCode.from_dict(data)



                        return tools_item_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        tools_item_type_1 = AssistantToolsFileSearchTypeOnly.from_dict(data)



                        return tools_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    tools_item_type_2 = UnknownObject.from_dict(data)



                    return tools_item_type_2

                tools_item = _parse_tools_item(tools_item_data)

                tools.append(tools_item)


        message_object_attachments_type_0_item = cls(
            file_id=file_id,
            tools=tools,
        )


        message_object_attachments_type_0_item.additional_properties = d
        return message_object_attachments_type_0_item

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


#: The JSON field names of MessageObjectAttachmentsType0Item, in the spec's order.
MESSAGE_OBJECT_ATTACHMENTS_TYPE_0_ITEM_FIELDS: tuple[str, ...] = (
    "file_id",
    "tools",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.assistant_tools_code import AssistantToolsCode
from ..models.assistant_tools_file_search_type_only import AssistantToolsFileSearchTypeOnly
from ..models.unknown_object import UnknownObject
