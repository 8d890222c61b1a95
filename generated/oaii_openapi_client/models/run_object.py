from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.assistants_api_response_format_option_type_0 import AssistantsApiResponseFormatOptionType0
from ..models.run_object_object import RunObjectObject
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RunObject")



@_attrs_define
class RunObject:
    """ Represents an execution run on a [thread](/docs/api-reference/threads).

        Attributes:
            id (str): The identifier, which can be referenced in API endpoints.
            object_ (RunObjectObject): The object type, which is always `thread.run`.
            created_at (int): The Unix timestamp (in seconds) for when the run was created.
            thread_id (str): The ID of the [thread](/docs/api-reference/threads) that was executed on as a part of this run.
            assistant_id (str): The ID of the [assistant](/docs/api-reference/assistants) used for execution of this run.
            status (str): The status of the run, which can be either `queued`, `in_progress`, `requires_action`,
                `cancelling`, `cancelled`, `failed`, `completed`, `incomplete`, or `expired`.
            model (str): The model that the [assistant](/docs/api-reference/assistants) used for this run.
            instructions (str): The instructions that the [assistant](/docs/api-reference/assistants) used for this run.
            tools (list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject]): The list
                of tools that the [assistant](/docs/api-reference/assistants) used for this run.
            parallel_tool_calls (bool): Whether to enable [parallel function calling](/docs/guides/function-
                calling#configuring-parallel-function-calling) during tool use.
            required_action (None | RunObjectRequiredActionType0 | Unset): Details on the action required to continue the
                run. Will be `null` if no action is required.
            last_error (None | RunObjectLastErrorType0 | Unset): The last error associated with this run. Will be `null` if
                there are no errors.
            expires_at (int | None | Unset): The Unix timestamp (in seconds) for when the run will expire.
            started_at (int | None | Unset): The Unix timestamp (in seconds) for when the run was started.
            cancelled_at (int | None | Unset): The Unix timestamp (in seconds) for when the run was cancelled.
            failed_at (int | None | Unset): The Unix timestamp (in seconds) for when the run failed.
            completed_at (int | None | Unset): The Unix timestamp (in seconds) for when the run was completed.
            incomplete_details (None | RunObjectIncompleteDetailsType0 | Unset): Details on why the run is incomplete. Will
                be `null` if the run is not incomplete.
            metadata (MetadataType0 | None | Unset):
            usage (None | RunCompletionUsageType0 | Unset):
            temperature (float | None | Unset): The sampling temperature used for this run. If not set, defaults to 1.
            top_p (float | None | Unset): The nucleus sampling value used for this run. If not set, defaults to 1.
            max_prompt_tokens (int | None | Unset): The maximum number of prompt tokens specified to have been used over the
                course of the run.
            max_completion_tokens (int | None | Unset): The maximum number of completion tokens specified to have been used
                over the course of the run.
            truncation_strategy (None | TruncationObject | Unset):
            tool_choice (AssistantsNamedToolChoice | None | str | UnknownObject | Unset):
            response_format (AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject |
                ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset):
     """

    id: str
    object_: RunObjectObject
    created_at: int
    thread_id: str
    assistant_id: str
    status: str
    model: str
    instructions: str
    tools: list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject]
    parallel_tool_calls: bool
    required_action: None | RunObjectRequiredActionType0 | Unset = UNSET
    last_error: None | RunObjectLastErrorType0 | Unset = UNSET
    expires_at: int | None | Unset = UNSET
    started_at: int | None | Unset = UNSET
    cancelled_at: int | None | Unset = UNSET
    failed_at: int | None | Unset = UNSET
    completed_at: int | None | Unset = UNSET
    incomplete_details: None | RunObjectIncompleteDetailsType0 | Unset = UNSET
    metadata: MetadataType0 | None | Unset = UNSET
    usage: None | RunCompletionUsageType0 | Unset = UNSET
    temperature: float | None | Unset = UNSET
    top_p: float | None | Unset = UNSET
    max_prompt_tokens: int | None | Unset = UNSET
    max_completion_tokens: int | None | Unset = UNSET
    truncation_strategy: None | TruncationObject | Unset = UNSET
    tool_choice: AssistantsNamedToolChoice | None | str | UnknownObject | Unset = UNSET
    response_format: AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject | ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        created_at = self.created_at

        thread_id = self.thread_id

        assistant_id = self.assistant_id

        status = self.status

        model = self.model

        instructions = self.instructions

        tools = []
        for tools_item_data in self.tools:
            tools_item: dict[str, Any]
            if isinstance(tools_item_data, AssistantToolsCode):
                tools_item = tools_item_data.to_dict()
            elif isinstance(tools_item_data, AssistantToolsFileSearch):
                tools_item = tools_item_data.to_dict()
            elif isinstance(tools_item_data, AssistantToolsFunction):
                tools_item = tools_item_data.to_dict()
            else:
                tools_item = tools_item_data.to_dict()

            tools.append(tools_item)



        parallel_tool_calls = self.parallel_tool_calls

        required_action: dict[str, Any] | None | Unset
        if isinstance(self.required_action, Unset):
            required_action = UNSET
        elif isinstance(self.required_action, RunObjectRequiredActionType0):
            required_action = self.required_action.to_dict()
        else:
            required_action = self.required_action

        last_error: dict[str, Any] | None | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        elif isinstance(self.last_error, RunObjectLastErrorType0):
            last_error = self.last_error.to_dict()
        else:
            last_error = self.last_error

        expires_at: int | None | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        started_at: int | None | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        else:
            started_at = self.started_at

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

        incomplete_details: dict[str, Any] | None | Unset
        if isinstance(self.incomplete_details, Unset):
            incomplete_details = UNSET
        elif isinstance(self.incomplete_details, RunObjectIncompleteDetailsType0):
            incomplete_details = self.incomplete_details.to_dict()
        else:
            incomplete_details = self.incomplete_details

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
        elif isinstance(self.usage, RunCompletionUsageType0):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        top_p: float | None | Unset
        if isinstance(self.top_p, Unset):
            top_p = UNSET
        else:
            top_p = self.top_p

        max_prompt_tokens: int | None | Unset
        if isinstance(self.max_prompt_tokens, Unset):
            max_prompt_tokens = UNSET
        else:
            max_prompt_tokens = self.max_prompt_tokens

        max_completion_tokens: int | None | Unset
        if isinstance(self.max_completion_tokens, Unset):
            max_completion_tokens = UNSET
        else:
            max_completion_tokens = self.max_completion_tokens

        truncation_strategy: dict[str, Any] | None | Unset
        if isinstance(self.truncation_strategy, Unset):
            truncation_strategy = UNSET
        elif isinstance(self.truncation_strategy, TruncationObject):
            truncation_strategy = self.truncation_strategy.to_dict()
        else:
            truncation_strategy = self.truncation_strategy

        tool_choice: dict[str, Any] | None | str | Unset
        if isinstance(self.tool_choice, Unset):
            tool_choice = UNSET
        elif isinstance(self.tool_choice, AssistantsNamedToolChoice):
            tool_choice = self.tool_choice.to_dict()
        elif isinstance(self.tool_choice, UnknownObject):
            tool_choice = self.tool_choice.to_dict()
        else:
            tool_choice = self.tool_choice

        response_format: dict[str, Any] | None | str | Unset
        if isinstance(self.response_format, Unset):
            response_format = UNSET
        elif isinstance(self.response_format, AssistantsApiResponseFormatOptionType0):
            response_format = self.response_format.value
        elif isinstance(self.response_format, ResponseFormatText):
            response_format = self.response_format.to_dict()
        elif isinstance(self.response_format, ResponseFormatJsonObject):
            response_format = self.response_format.to_dict()
        elif isinstance(self.response_format, ResponseFormatJsonSchema):
            response_format = self.response_format.to_dict()
        elif isinstance(self.response_format, UnknownObject):
            response_format = self.response_format.to_dict()
        else:
            response_format = self.response_format


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "object": object_,
            "created_at": created_at,
            "thread_id": thread_id,
            "assistant_id": assistant_id,
            "status": status,
            "model": model,
            "instructions": instructions,
            "tools": tools,
            "parallel_tool_calls": parallel_tool_calls,
        })
        if required_action is not UNSET:
            field_dict["required_action"] = required_action
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if cancelled_at is not UNSET:
            field_dict["cancelled_at"] = cancelled_at
        if failed_at is not UNSET:
            field_dict["failed_at"] = failed_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if incomplete_details is not UNSET:
            field_dict["incomplete_details"] = incomplete_details
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if usage is not UNSET:
            field_dict["usage"] = usage
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if max_prompt_tokens is not UNSET:
            field_dict["max_prompt_tokens"] = max_prompt_tokens
        if max_completion_tokens is not UNSET:
            field_dict["max_completion_tokens"] = max_completion_tokens
        if truncation_strategy is not UNSET:
            field_dict["truncation_strategy"] = truncation_strategy
        if tool_choice is not UNSET:
            field_dict["tool_choice"] = tool_choice
        if response_format is not UNSET:
            field_dict["response_format"] = response_format

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = RunObjectObject(d.pop("object"))




        created_at = d.pop("created_at")

        thread_id = d.pop("thread_id")

        assistant_id = d.pop("assistant_id")

        status = d.pop("status")

        model = d.pop("model")

        instructions = d.pop("instructions")

        tools = []
        _tools = d.pop("tools")
        for tools_item_data in (_tools):
            def _parse_tools_item(data: object) -> AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject:
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
                    tools_item_type_1 = AssistantToolsFileSearch.from_dict(data)



                    return tools_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    tools_item_type_2 = AssistantToolsFunction.from_dict(data)



                    return tools_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                tools_item_type_3 = UnknownObject.from_dict(data)



                return tools_item_type_3

            tools_item = _parse_tools_item(tools_item_data)

            tools.append(tools_item)


        parallel_tool_calls = d.pop("parallel_tool_calls")

        def _parse_required_action(data: object) -> None | RunObjectRequiredActionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                required_action_type_0 = RunObjectRequiredActionType0.from_dict(data)



                return required_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunObjectRequiredActionType0 | Unset, data)

        required_action = _parse_required_action(d.pop("required_action", UNSET))


        def _parse_last_error(data: object) -> None | RunObjectLastErrorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_error_type_0 = RunObjectLastErrorType0.from_dict(data)



                return last_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunObjectLastErrorType0 | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))


        def _parse_expires_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))


        def _parse_started_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))


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


        def _parse_incomplete_details(data: object) -> None | RunObjectIncompleteDetailsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                incomplete_details_type_0 = RunObjectIncompleteDetailsType0.from_dict(data)



                return incomplete_details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunObjectIncompleteDetailsType0 | Unset, data)

        incomplete_details = _parse_incomplete_details(d.pop("incomplete_details", UNSET))


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


        def _parse_usage(data: object) -> None | RunCompletionUsageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_run_completion_usage_type_0 = RunCompletionUsageType0.from_dict(data)



                return componentsschemas_run_completion_usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunCompletionUsageType0 | Unset, data)

        usage = _parse_usage(d.pop("usage", UNSET))


        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        temperature = _parse_temperature(d.pop("temperature", UNSET))


        def _parse_top_p(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        top_p = _parse_top_p(d.pop("top_p", UNSET))


        def _parse_max_prompt_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_prompt_tokens = _parse_max_prompt_tokens(d.pop("max_prompt_tokens", UNSET))


        def _parse_max_completion_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_completion_tokens = _parse_max_completion_tokens(d.pop("max_completion_tokens", UNSET))


        def _parse_truncation_strategy(data: object) -> None | TruncationObject | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                truncation_strategy_type_0 = TruncationObject.from_dict(data)



                return truncation_strategy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TruncationObject | Unset, data)

        truncation_strategy = _parse_truncation_strategy(d.pop("truncation_strategy", UNSET))


        def _parse_tool_choice(data: object) -> AssistantsNamedToolChoice | None | str | UnknownObject | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_assistants_api_tool_choice_option_type_1 = AssistantsNamedToolChoice.from_dict(data)



                return componentsschemas_assistants_api_tool_choice_option_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_assistants_api_tool_choice_option_type_2 = UnknownObject.from_dict(data)



                return componentsschemas_assistants_api_tool_choice_option_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssistantsNamedToolChoice | None | str | UnknownObject | Unset, data)

        tool_choice = _parse_tool_choice(d.pop("tool_choice", UNSET))


        def _parse_response_format(data: object) -> AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject | ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_assistants_api_response_format_option_type_0 = AssistantsApiResponseFormatOptionType0(data)



                return componentsschemas_assistants_api_response_format_option_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_assistants_api_response_format_option_type_1 = ResponseFormatText.from_dict(data)



                return componentsschemas_assistants_api_response_format_option_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_assistants_api_response_format_option_type_2 = ResponseFormatJsonObject.from_dict(data)



                return componentsschemas_assistants_api_response_format_option_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_assistants_api_response_format_option_type_3 = ResponseFormatJsonSchema.from_dict(data)



                return componentsschemas_assistants_api_response_format_option_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_assistants_api_response_format_option_type_4 = UnknownObject.from_dict(data)



                return componentsschemas_assistants_api_response_format_option_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject | ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset, data)

        response_format = _parse_response_format(d.pop("response_format", UNSET))


        run_object = cls(
            id=id,
            object_=object_,
            created_at=created_at,
            thread_id=thread_id,
            assistant_id=assistant_id,
            status=status,
            model=model,
            instructions=instructions,
            tools=tools,
            parallel_tool_calls=parallel_tool_calls,
            required_action=required_action,
            last_error=last_error,
            expires_at=expires_at,
            started_at=started_at,
            cancelled_at=cancelled_at,
            failed_at=failed_at,
            completed_at=completed_at,
            incomplete_details=incomplete_details,
            metadata=metadata,
            usage=usage,
            temperature=temperature,
            top_p=top_p,
            max_prompt_tokens=max_prompt_tokens,
            max_completion_tokens=max_completion_tokens,
            truncation_strategy=truncation_strategy,
            tool_choice=tool_choice,
            response_format=response_format,
        )


        run_object.additional_properties = d
        return run_object

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


#: The JSON field names of RunObject, in the spec's order.
RUN_OBJECT_FIELDS: tuple[str, ...] = (
    "id",
    "object",
    "created_at",
    "thread_id",
    "assistant_id",
    "status",
    "required_action",
    "last_error",
    "expires_at",
    "started_at",
    "cancelled_at",
    "failed_at",
    "completed_at",
    "incomplete_details",
    "model",
    "instructions",
    "tools",
    "metadata",
    "usage",
    "temperature",
    "top_p",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.assistant_tools_code import AssistantToolsCode
from ..models.assistant_tools_file_search import AssistantToolsFileSearch
from ..models.assistant_tools_function import AssistantToolsFunction
from ..models.assistants_named_tool_choice import AssistantsNamedToolChoice
from ..models.metadata_type_0 import MetadataType0
from ..models.response_format_json_object import ResponseFormatJsonObject
from ..models.response_format_json_schema import ResponseFormatJsonSchema
from ..models.response_format_text import ResponseFormatText
from ..models.run_completion_usage_type_0 import RunCompletionUsageType0
from ..models.run_object_incomplete_details_type_0 import RunObjectIncompleteDetailsType0
from ..models.run_object_last_error_type_0 import RunObjectLastErrorType0
from ..models.run_object_required_action_type_0 import RunObjectRequiredActionType0
from ..models.truncation_object import TruncationObject
from ..models.unknown_object import UnknownObject
