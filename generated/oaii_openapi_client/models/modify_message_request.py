from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ModifyMessageRequest")



@_attrs_define
class ModifyMessageRequest:
    """ 
        Attributes:
            metadata (MetadataType0 | None | Unset):
     """

    metadata: MetadataType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
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
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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


        modify_message_request = cls(
            metadata=metadata,
        )

        return modify_message_request



#: The JSON field names of ModifyMessageRequest, in the spec's order.
MODIFY_MESSAGE_REQUEST_FIELDS: tuple[str, ...] = (
    "metadata",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.metadata_type_0 import MetadataType0
