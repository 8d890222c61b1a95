from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.delete_thread_response_object import DeleteThreadResponseObject






T = TypeVar("T", bound="DeleteThreadResponse")



@_attrs_define
class DeleteThreadResponse:
    """ 
        Attributes:
            id (str):
            deleted (bool):
            object_ (DeleteThreadResponseObject):
     """

    id: str
    deleted: bool
    object_: DeleteThreadResponseObject
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        deleted = self.deleted

        object_ = self.object_.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "deleted": deleted,
            "object": object_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        deleted = d.pop("deleted")

        object_ = DeleteThreadResponseObject(d.pop("object"))




        delete_thread_response = cls(
            id=id,
            deleted=deleted,
            object_=object_,
        )


        delete_thread_response.additional_properties = d
        return delete_thread_response

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


#: The JSON field names of DeleteThreadResponse, in the spec's order.
DELETE_THREAD_RESPONSE_FIELDS: tuple[str, ...] = (
    "id",
    "deleted",
    "object",
)
