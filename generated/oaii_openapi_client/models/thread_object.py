from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.thread_object_object import ThreadObjectObject
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ThreadObject")



@_attrs_define
class ThreadObject:
    """ Represents a thread that contains [messages](/docs/api-reference/messages).

        Attributes:
            id (str): The identifier, which can be referenced in API endpoints.
            object_ (ThreadObjectObject): The object type, which is always `thread`.
            created_at (int): The Unix timestamp (in seconds) for when the thread was created.
            tool_resources (None | ThreadObjectToolResourcesType0 | Unset):
            metadata (MetadataType0 | None | Unset):
     """

    id: str
    object_: ThreadObjectObject
    created_at: int
    tool_resources: None | ThreadObjectToolResourcesType0 | Unset = UNSET
    metadata: MetadataType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        created_at = self.created_at

        tool_resources: dict[str, Any] | None | Unset
        if isinstance(self.tool_resources, Unset):
            tool_resources = UNSET
        elif isinstance(self.tool_resources, ThreadObjectToolResourcesType0):
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
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "object": object_,
            "created_at": created_at,
        })
        if tool_resources is not UNSET:
            field_dict["tool_resources"] = tool_resources
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = ThreadObjectObject(d.pop("object"))




        created_at = d.pop("created_at")

        def _parse_tool_resources(data: object) -> None | ThreadObjectToolResourcesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tool_resources_type_0 = ThreadObjectToolResourcesType0.from_dict(data)



                return tool_resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ThreadObjectToolResourcesType0 | Unset, data)

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


        thread_object = cls(
            id=id,
            object_=object_,
            created_at=created_at,
            tool_resources=tool_resources,
            metadata=metadata,
        )


        thread_object.additional_properties = d
        return thread_object

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


#: The JSON field names of ThreadObject, in the spec's order.
THREAD_OBJECT_FIELDS: tuple[str, ...] = (
    "id",
    "object",
    "created_at",
    "tool_resources",
    "metadata",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.metadata_type_0 import MetadataType0
from ..models.thread_object_tool_resources_type_0 import ThreadObjectToolResourcesType0
