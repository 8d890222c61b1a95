from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ThreadObjectToolResourcesType0FileSearch")



@_attrs_define
class ThreadObjectToolResourcesType0FileSearch:
    """ 
        Attributes:
            vector_store_ids (list[str] | Unset): The [vector store](/docs/api-reference/vector-stores/object) attached to
                this thread. There can be a maximum of 1 vector store attached to the thread.
     """

    vector_store_ids: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        vector_store_ids: list[str] | Unset = UNSET
        if not isinstance(self.vector_store_ids, Unset):
            vector_store_ids = self.vector_store_ids




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if vector_store_ids is not UNSET:
            field_dict["vector_store_ids"] = vector_store_ids

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        vector_store_ids = cast(list[str], d.pop("vector_store_ids", UNSET))


        thread_object_tool_resources_type_0_file_search = cls(
            vector_store_ids=vector_store_ids,
        )


        thread_object_tool_resources_type_0_file_search.additional_properties = d
        return thread_object_tool_resources_type_0_file_search

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


#: The JSON field names of ThreadObjectToolResourcesType0FileSearch, in the spec's order.
THREAD_OBJECT_TOOL_RESOURCES_TYPE_0_FILE_SEARCH_FIELDS: tuple[str, ...] = (
    "vector_store_ids",
)
