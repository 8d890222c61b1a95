from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_step_object_object import RunStepObjectObject
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RunStepObject")



@_attrs_define
class RunStepObject:
    """ Represents a step in execution of a run.

        Attributes:
            id (str): The identifier of the run step, which can be referenced in API endpoints.
            object_ (RunStepObjectObject): The object type, which is always `thread.run.step`.
            created_at (int): The Unix timestamp (in seconds) for when the run step was created.
            assistant_id (str): The ID of the [assistant](/docs/api-reference/assistants) associated with the run step.
            thread_id (str): The ID of the [thread](/docs/api-reference/threads) that was run.
            run_id (str): The ID of the [run](/docs/api-reference/runs) that this run step is a part of.
            type_ (str): The type of run step, which can be either `message_creation` or `tool_calls`.
            status (str): The status of the run step, which can be either `in_progress`, `cancelled`, `failed`, `completed`,
                or `expired`.
            step_details (RunStepDetailsMessageCreationObject | RunStepDetailsToolCallsObject | UnknownObject): The details
                of the run step.
            last_error (None | RunStepObjectLastErrorType0 | Unset):
            expired_at (int | None | Unset):
            cancelled_at (int | None | Unset):
            failed_at (int | None | Unset):
            completed_at (int | None | Unset):
            metadata (MetadataType0 | None | Unset):
            usage (None | RunStepCompletionUsageType0 | Unset):
     """

    id: str
    object_: RunStepObjectObject
    created_at: int
    assistant_id: str
    thread_id: str
    run_id: str
    type_: str
    status: str
    step_details: RunStepDetailsMessageCreationObject | RunStepDetailsToolCallsObject | UnknownObject
    last_error: None | RunStepObjectLastErrorType0 | Unset = UNSET
    expired_at: int | None | Unset = UNSET
    cancelled_at: int | None | Unset = UNSET
    failed_at: int | None | Unset = UNSET
    completed_at: int | None | Unset = UNSET
    metadata: MetadataType0 | None | Unset = UNSET
    usage: None | RunStepCompletionUsageType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        created_at = self.created_at

        assistant_id = self.assistant_id

        thread_id = self.thread_id

        run_id = self.run_id

        type_ = self.type_

        status = self.status

        step_details: dict[str, Any]
        if isinstance(self.step_details, RunStepDetailsMessageCreationObject):
            step_details = self.step_details.to_dict()
        elif isinstance(self.step_details, RunStepDetailsToolCallsObject):
            step_details = self.step_details.to_dict()
        else:
            step_details = self.step_details.to_dict()


        last_error: dict[str, Any] | None | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        elif isinstance(self.last_error, RunStepObjectLastErrorType0):
            last_error = self.last_error.to_dict()
        else:
            last_error = self.last_error

        expired_at: int | None | Unset
        if isinstance(self.expired_at, Unset):
            expired_at = UNSET
        else:
            expired_at = self.expired_at

        cancelled_at: int | None | Unset
        if isinstance(self.cancelled_at, Unset):
            cancelled_at = UNSET
        else:
            cancelled_at = self.cancelled_at

        failed_at: int | None | Unset
        if isinstance(self.failed_at, Unset):
            failed_at = UNSET
        else:
            failed_at = self.failed_at

        completed_at: int | None | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, MetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, RunStepCompletionUsageType0):
            usage = self.usage.to_dict()
        else:
            usage = self.usage


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "object": object_,
            "created_at": created_at,
            "assistant_id": assistant_id,
            "thread_id": thread_id,
            "run_id": run_id,
            "type": type_,
            "status": status,
            "step_details": step_details,
        })
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if expired_at is not UNSET:
            field_dict["expired_at"] = expired_at
        if cancelled_at is not UNSET:
            field_dict["cancelled_at"] = cancelled_at
        if failed_at is not UNSET:
            field_dict["failed_at"] = failed_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = RunStepObjectObject(d.pop("object"))




        created_at = d.pop("created_at")

        assistant_id = d.pop("assistant_id")

        thread_id = d.pop("thread_id")

        run_id = d.pop("run_id")

        type_ = d.pop("type")

        status = d.pop("status")

        def _parse_step_details(data: object) -> RunStepDetailsMessageCreationObject | RunStepDetailsToolCallsObject | UnknownObject:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                step_details_type_0 = RunStepDetailsMessageCreationObject.from_dict(data)



                return step_details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                step_details_type_1 = RunStepDetailsToolCallsObject.from_dict(data)



                return step_details_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            step_details_type_2 = UnknownObject.from_dict(data)



            return step_details_type_2

        step_details = _parse_step_details(d.pop("step_details"))


        def _parse_last_error(data: object) -> None | RunStepObjectLastErrorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_error_type_0 = RunStepObjectLastErrorType0.from_dict(data)



                return last_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunStepObjectLastErrorType0 | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))


        def _parse_expired_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expired_at = _parse_expired_at(d.pop("expired_at", UNSET))


        def _parse_cancelled_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at", UNSET))


        def _parse_failed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        failed_at = _parse_failed_at(d.pop("failed_at", UNSET))


        def _parse_completed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))


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


        def _parse_usage(data: object) -> None | RunStepCompletionUsageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_step_completion_usage_type_0 = RunStepCompletionUsageType0.from_dict(data)



                return componentsschemas_run_step_completion_usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunStepCompletionUsageType0 | Unset, data)

        usage = _parse_usage(d.pop("usage", UNSET))


        run_step_object = cls(
            id=id,
            object_=object_,
            created_at=created_at,
            assistant_id=assistant_id,
            thread_id=thread_id,
            run_id=run_id,
            type_=type_,
            status=status,
            step_details=step_details,
            last_error=last_error,
            expired_at=expired_at,
            cancelled_at=cancelled_at,
            failed_at=failed_at,
            completed_at=completed_at,
            metadata=metadata,
            usage=usage,
        )


        run_step_object.additional_properties = d
        return run_step_object

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


#: The JSON field names of RunStepObject, in the spec's order.
RUN_STEP_OBJECT_FIELDS: tuple[str, ...] = (
    "id",
    "object",
    "created_at",
    "assistant_id",
    "thread_id",
    "run_id",
    "type",
    "status",
    "step_details",
    "last_error",
    "expired_at",
    "cancelled_at",
    "failed_at",
    "completed_at",
    "metadata",
    "usage",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.metadata_type_0 import MetadataType0
from ..models.run_step_completion_usage_type_0 import RunStepCompletionUsageType0
from ..models.run_step_details_message_creation_object import RunStepDetailsMessageCreationObject
from ..models.run_step_details_tool_calls_object import RunStepDetailsToolCallsObject
from ..models.run_step_object_last_error_type_0 import RunStepObjectLastErrorType0
from ..models.unknown_object import UnknownObject
