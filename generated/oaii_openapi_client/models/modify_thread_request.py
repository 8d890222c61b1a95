from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ModifyThreadRequest")



@_attrs_define
class ModifyThreadRequest:
    """ 
        Attributes:
            tool_resources (ModifyThreadRequestToolResourcesType0 | None | Unset):
            metadata (MetadataType0 | None | Unset):
     """

    tool_resources: ModifyThreadRequestToolResourcesType0 | None | Unset = UNSET
    metadata: MetadataType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        tool_resources: dict[str, Any] | None | Unset
        if isinstance(self.tool_resources, Unset):
            tool_resources = UNSET
        elif isinstance(self.tool_resources, ModifyThreadRequestToolResourcesType0):
            tool_resources = self.tool_resources.to_dict()
        else:
            tool_resources = self.tool_resources

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, MetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if tool_resources is not UNSET:
            field_dict["tool_resources"] = tool_resources
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_tool_resources(data: object) -> ModifyThreadRequestToolResourcesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tool_resources_type_0 = ModifyThreadRequestToolResourcesType0.from_dict(data)



                return tool_resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModifyThreadRequestToolResourcesType0 | None | Unset, data)

        tool_resources = _parse_tool_resources(d.pop("tool_resources", UNSET))


        def _parse_metadata(data: object) -> MetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_metadata_type_0 = MetadataType0.from_dict(data)



                return componentsschemas_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))


        modify_thread_request = cls(
            tool_resources=tool_resources,
            metadata=metadata,
        )

        return modify_thread_request



#: The JSON field names of ModifyThreadRequest, in the spec's order.
MODIFY_THREAD_REQUEST_FIELDS: tuple[str, ...] = (
    "tool_resources",
    "metadata",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.metadata_type_0 import MetadataType0
from ..models.modify_thread_request_tool_resources_type_0 import ModifyThreadRequestToolResourcesType0
