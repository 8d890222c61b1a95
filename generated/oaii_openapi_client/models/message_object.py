from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_object_object import MessageObjectObject
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="MessageObject")



@_attrs_define
class MessageObject:
    """ Represents a message within a [thread](/docs/api-reference/threads).

        Attributes:
            id (str): The identifier, which can be referenced in API endpoints.
            object_ (MessageObjectObject): The object type, which is always `thread.message`.
            created_at (int): The Unix timestamp (in seconds) for when the message was created.
            thread_id (str): The [thread](/docs/api-reference/threads) ID that this message belongs to.
            status (str): The status of the message, which can be either `in_progress`, `incomplete`, or `completed`.
            role (str): The entity that produced the message. One of `user` or `assistant`.
            content (list[MessageContentImageFileObject | MessageContentImageUrlObject | MessageContentRefusalObject |
                MessageContentTextObject | UnknownObject]): The content of the message in array of text and/or images.
            incomplete_details (MessageObjectIncompleteDetailsType0 | None | Unset):
            completed_at (int | None | Unset):
            incomplete_at (int | None | Unset):
            assistant_id (None | str | Unset):
            run_id (None | str | Unset):
            attachments (list[MessageObjectAttachmentsType0Item] | None | Unset):
            metadata (MetadataType0 | None | Unset):
     """

    id: str
    object_: MessageObjectObject
    created_at: int
    thread_id: str
    status: str
    role: str
    content: list[MessageContentImageFileObject | MessageContentImageUrlObject | MessageContentRefusalObject | MessageContentTextObject | UnknownObject]
    incomplete_details: MessageObjectIncompleteDetailsType0 | None | Unset = UNSET
    completed_at: int | None | Unset = UNSET
    incomplete_at: int | None | Unset = UNSET
    assistant_id: None | str | Unset = UNSET
    run_id: None | str | Unset = UNSET
    attachments: list[MessageObjectAttachmentsType0Item] | None | Unset = UNSET
    metadata: MetadataType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        created_at = self.created_at

        thread_id = self.thread_id

        status = self.status

        role = self.role

        content = []
        for content_item_data in self.content:
            content_item: dict[str, Any]
            if isinstance(content_item_data, MessageContentImageFileObject):
                content_item = content_item_data.to_dict()
            elif isinstance(content_item_data, MessageContentImageUrlObject):
                content_item = content_item_data.to_dict()
            elif isinstance(content_item_data, MessageContentTextObject):
                content_item = content_item_data.to_dict()
            elif isinstance(content_item_data, MessageContentRefusalObject):
                content_item = content_item_data.to_dict()
            else:
                content_item = content_item_data.to_dict()

            content.append(content_item)



        incomplete_details: dict[str, Any] | None | Unset
        if isinstance(self.incomplete_details, Unset):
            incomplete_details = UNSET
        elif isinstance(self.incomplete_details, MessageObjectIncompleteDetailsType0):
            incomplete_details = self.incomplete_details.to_dict()
        else:
            incomplete_details = self.incomplete_details

        completed_at: int | None | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        incomplete_at: int | None | Unset
        if isinstance(self.incomplete_at, Unset):
            incomplete_at = UNSET
        else:
            incomplete_at = self.incomplete_at

        assistant_id: None | str | Unset
        if isinstance(self.assistant_id, Unset):
            assistant_id = UNSET
        else:
            assistant_id = self.assistant_id

        run_id: None | str | Unset
        if isinstance(self.run_id, Unset):
            run_id = UNSET
        else:
            run_id = self.run_id

        attachments: list[dict[str, Any]] | None | Unset
        if isinstance(self.attachments, Unset):
            attachments = UNSET
        elif isinstance(self.attachments, list):
            attachments = []
            for attachments_type_0_item_data in self.attachments:
                attachments_type_0_item = attachments_type_0_item_data.to_dict()
                attachments.append(attachments_type_0_item)


        else:
            attachments = self.attachments

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
            "thread_id": thread_id,
            "status": status,
            "role": role,
            "content": content,
        })
        if incomplete_details is not UNSET:
            field_dict["incomplete_details"] = incomplete_details
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if incomplete_at is not UNSET:
            field_dict["incomplete_at"] = incomplete_at
        if assistant_id is not UNSET:
            field_dict["assistant_id"] = assistant_id
        if run_id is not UNSET:
            field_dict["run_id"] = run_id
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = MessageObjectObject(d.pop("object"))




        created_at = d.pop("created_at")

        thread_id = d.pop("thread_id")

        status = d.pop("status")

        role = d.pop("role")

        content = []
        _content = d.pop("content")
        for content_item_data in (_content):
            def _parse_content_item(data: object) -> MessageContentImageFileObject | MessageContentImageUrlObject | MessageContentRefusalObject | MessageContentTextObject | UnknownObject:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    content_item_type_0 = MessageContentImageFileObject.from_dict(data)



                    return content_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    content_item_type_1 = MessageContentImageUrlObject.from_dict(data)



                    return content_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    content_item_type_2 = MessageContentTextObject.from_dict(data)



                    return content_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    content_item_type_3 = MessageContentRefusalObject.from_dict(data)



                    return content_item_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                content_item_type_4 = UnknownObject.from_dict(data)



                return content_item_type_4

            content_item = _parse_content_item(content_item_data)

            content.append(content_item)


        def _parse_incomplete_details(data: object) -> MessageObjectIncompleteDetailsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                incomplete_details_type_0 = MessageObjectIncompleteDetailsType0.from_dict(data)



                return incomplete_details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MessageObjectIncompleteDetailsType0 | None | Unset, data)

        incomplete_details = _parse_incomplete_details(d.pop("incomplete_details", UNSET))


        def _parse_completed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))


        def _parse_incomplete_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        incomplete_at = _parse_incomplete_at(d.pop("incomplete_at", UNSET))


        def _parse_assistant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assistant_id = _parse_assistant_id(d.pop("assistant_id", UNSET))


        def _parse_run_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        run_id = _parse_run_id(d.pop("run_id", UNSET))


        def _parse_attachments(data: object) -> list[MessageObjectAttachmentsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                attachments_type_0 = []
                _attachments_type_0 = data
                for attachments_type_0_item_data in (_attachments_type_0):
                    attachments_type_0_item = MessageObjectAttachmentsType0Item.from_dict(attachments_type_0_item_data)



                    attachments_type_0.append(attachments_type_0_item)

                return attachments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[MessageObjectAttachmentsType0Item] | None | Unset, data)

        attachments = _parse_attachments(d.pop("attachments", UNSET))


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


        message_object = cls(
            id=id,
            object_=object_,
            created_at=created_at,
            thread_id=thread_id,
            status=status,
            role=role,
            content=content,
            incomplete_details=incomplete_details,
            completed_at=completed_at,
            incomplete_at=incomplete_at,
            assistant_id=assistant_id,
            run_id=run_id,
            attachments=attachments,
            metadata=metadata,
        )


        message_object.additional_properties = d
        return message_object

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


#: The JSON field names of MessageObject, in the spec's order.
MESSAGE_OBJECT_FIELDS: tuple[str, ...] = (
    "id",
    "object",
    "created_at",
    "thread_id",
    "status",
    "incomplete_details",
    "completed_at",
    "incomplete_at",
    "role",
    "content",
    "assistant_id",
    "run_id",
    "attachments",
    "metadata",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.message_content_image_file_object import MessageContentImageFileObject
from ..models.message_content_image_url_object import MessageContentImageUrlObject
from ..models.message_content_refusal_object import MessageContentRefusalObject
from ..models.message_content_text_object import MessageContentTextObject
from ..models.message_object_attachments_type_0_item import MessageObjectAttachmentsType0Item
from ..models.message_object_incomplete_details_type_0 import MessageObjectIncompleteDetailsType0
from ..models.metadata_type_0 import MetadataType0
from ..models.unknown_object import UnknownObject
