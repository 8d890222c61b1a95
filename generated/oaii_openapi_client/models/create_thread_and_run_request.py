from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.assistants_api_response_format_option_type_0 import AssistantsApiResponseFormatOptionType0
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateThreadAndRunRequest")



@_attrs_define
class CreateThreadAndRunRequest:
    """ 
        Attributes:
            assistant_id (str): The ID of the [assistant](/docs/api-reference/assistants) to use to execute this run.
            thread (CreateThreadRequest | Unset): Options to create a new thread. If no thread is provided when running a
                request, an empty thread will be created.
            model (None | str | Unset): The ID of the [Model](/docs/api-reference/models) to be used to execute this run. If
                a value is provided here, it will override the model associated with the assistant. If not, the model associated
                with the assistant will be used. Example: gpt-4o.
            instructions (None | str | Unset): Override the default system message of the assistant. This is useful for
                modifying the behavior on a per-run basis.
            tools (list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject] | None |
                Unset): Override the tools the assistant can use for this run. This is useful for modifying the behavior on a
                per-run basis.
            tool_resources (CreateThreadAndRunRequestToolResourcesType0 | None | Unset): A set of resources that are used by
                the assistant's tools. The resources are specific to the type of tool. For example, the `code_interpreter` tool
                requires a list of file IDs, while the `file_search` tool requires a list of vector store IDs.
            metadata (MetadataType0 | None | Unset):
            temperature (float | None | Unset): What sampling temperature to use, between 0 and 2. Higher values like 0.8
                will make the output more random, while lower values like 0.2 will make it more focused and deterministic.
                 Example: 1.
            top_p (float | None | Unset): An alternative to sampling with temperature, called nucleus sampling, where the
                model considers the results of the tokens with top_p probability mass. So 0.1 means only the tokens comprising
                the top 10% probability mass are considered.

                We generally recommend altering this or temperature but not both.
                 Example: 1.
            stream (bool | None | Unset): If `true`, returns a stream of events that happen during the Run as server-sent
                events, terminating when the Run enters a terminal state with a `data: [DONE]` message.
            max_prompt_tokens (int | None | Unset): The maximum number of prompt tokens that may be used over the course of
                the run. The run will make a best effort to use only the number of prompt tokens specified, across multiple
                turns of the run. If the run exceeds the number of prompt tokens specified, the run will end with status
                `incomplete`. See `incomplete_details` for more info.
            max_completion_tokens (int | None | Unset): The maximum number of completion tokens that may be used over the
                course of the run. The run will make a best effort to use only the number of completion tokens specified, across
                multiple turns of the run. If the run exceeds the number of completion tokens specified, the run will end with
                status `incomplete`. See `incomplete_details` for more info.
            truncation_strategy (None | TruncationObject | Unset):
            tool_choice (AssistantsNamedToolChoice | None | str | UnknownObject | Unset):
            parallel_tool_calls (bool | Unset): Whether to enable [parallel function calling](/docs/guides/function-
                calling#configuring-parallel-function-calling) during tool use.
            response_format (AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject |
                ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset):
     """

    assistant_id: str
    thread: CreateThreadRequest | Unset = UNSET
    model: None | str | Unset = UNSET
    instructions: None | str | Unset = UNSET
    tools: list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject] | None | Unset = UNSET
    tool_resources: CreateThreadAndRunRequestToolResourcesType0 | None | Unset = UNSET
    metadata: MetadataType0 | None | Unset = UNSET
    temperature: float | None | Unset = UNSET
    top_p: float | None | Unset = UNSET
    stream: bool | None | Unset = UNSET
    max_prompt_tokens: int | None | Unset = UNSET
    max_completion_tokens: int | None | Unset = UNSET
    truncation_strategy: None | TruncationObject | Unset = UNSET
    tool_choice: AssistantsNamedToolChoice | None | str | UnknownObject | Unset = UNSET
    parallel_tool_calls: bool | Unset = UNSET
    response_format: AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject | ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        assistant_id = self.assistant_id

        thread: dict[str, Any] | Unset = UNSET
        if not isinstance(self.thread, Unset):
            thread = self.thread.to_dict()

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        instructions: None | str | Unset
        if isinstance(self.instructions, Unset):
            instructions = UNSET
        else:
            instructions = self.instructions

        tools: list[dict[str, Any]] | None | Unset
        if isinstance(self.tools, Unset):
            tools = UNSET
        elif isinstance(self.tools, list):
            tools = []
            for tools_type_0_item_data in self.tools:
                tools_type_0_item: dict[str, Any]
                if isinstance(tools_type_0_item_data, AssistantToolsCode):
                    tools_type_0_item = tools_type_0_item_data.to_dict()
                elif isinstance(tools_type_0_item_data, AssistantToolsFileSearch):
                    tools_type_0_item = tools_type_0_item_data.to_dict()
                elif isinstance(tools_type_0_item_data, AssistantToolsFunction):
                    tools_type_0_item = tools_type_0_item_data.to_dict()
                else:
                    tools_type_0_item = tools_type_0_item_data.to_dict()

                tools.append(tools_type_0_item)


        else:
            tools = self.tools

        tool_resources: dict[str, Any] | None | Unset
        if isinstance(self.tool_resources, Unset):
            tool_resources = UNSET
        elif isinstance(self.tool_resources, CreateThreadAndRunRequestToolResourcesType0):
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

        stream: bool | None | Unset
        if isinstance(self.stream, Unset):
            stream = UNSET
        else:
            stream = self.stream

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

        parallel_tool_calls = self.parallel_tool_calls

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

        field_dict.update({
            "assistant_id": assistant_id,
        })
        if thread is not UNSET:
            field_dict["thread"] = thread
        if model is not UNSET:
            field_dict["model"] = model
        if instructions is not UNSET:
            field_dict["instructions"] = instructions
        if tools is not UNSET:
            field_dict["tools"] = tools
        if tool_resources is not UNSET:
            field_dict["tool_resources"] = tool_resources
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if stream is not UNSET:
            field_dict["stream"] = stream
        if max_prompt_tokens is not UNSET:
            field_dict["max_prompt_tokens"] = max_prompt_tokens
        if max_completion_tokens is not UNSET:
            field_dict["max_completion_tokens"] = max_completion_tokens
        if truncation_strategy is not UNSET:
            field_dict["truncation_strategy"] = truncation_strategy
        if tool_choice is not UNSET:
            field_dict["tool_choice"] = tool_choice
        if parallel_tool_calls is not UNSET:
            field_dict["parallel_tool_calls"] = parallel_tool_calls
        if response_format is not UNSET:
            field_dict["response_format"] = response_format

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        assistant_id = d.pop("assistant_id")

        _thread = d.pop("thread", UNSET)
        thread: CreateThreadRequest | Unset
        if isinstance(_thread,  Unset):
            thread = UNSET
        else:
            thread = CreateThreadRequest.from_dict(_thread)




        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))


        def _parse_instructions(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instructions = _parse_instructions(d.pop("instructions", UNSET))


        def _parse_tools(data: object) -> list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tools_type_0 = []
                _tools_type_0 = data
                for tools_type_0_item_data in (_tools_type_0):
                    def _parse_tools_type_0_item(data: object) -> AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            tools_type_0_item_type_0 = AssistantToolsCode.from_dict(data)



                            return tools_type_0_item_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            tools_type_0_item_type_1 = AssistantToolsFileSearch.from_dict(data)



                            return tools_type_0_item_type_1
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            tools_type_0_item_type_2 = AssistantToolsFunction.from_dict(data)



                            return tools_type_0_item_type_2
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        if not isinstance(data, dict):
                            raise TypeError()
                        tools_type_0_item_type_3 = UnknownObject.from_dict(data)



                        return tools_type_0_item_type_3

                    tools_type_0_item = _parse_tools_type_0_item(tools_type_0_item_data)

                    tools_type_0.append(tools_type_0_item)

                return tools_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject] | None | Unset, data)

        tools = _parse_tools(d.pop("tools", UNSET))


        def _parse_tool_resources(data: object) -> CreateThreadAndRunRequestToolResourcesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tool_resources_type_0 = CreateThreadAndRunRequestToolResourcesType0.from_dict(data)



                return tool_resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateThreadAndRunRequestToolResourcesType0 | None | Unset, data)

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


        def _parse_stream(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        stream = _parse_stream(d.pop("stream", UNSET))


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


        parallel_tool_calls = d.pop("parallel_tool_calls", UNSET)

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


        create_thread_and_run_request = cls(
            assistant_id=assistant_id,
            thread=thread,
            model=model,
            instructions=instructions,
            tools=tools,
            tool_resources=tool_resources,
            metadata=metadata,
            temperature=temperature,
            top_p=top_p,
            stream=stream,
            max_prompt_tokens=max_prompt_tokens,
            max_completion_tokens=max_completion_tokens,
            truncation_strategy=truncation_strategy,
            tool_choice=tool_choice,
            parallel_tool_calls=parallel_tool_calls,
            response_format=response_format,
        )

        return create_thread_and_run_request



#: The JSON field names of CreateThreadAndRunRequest, in the spec's order.
CREATE_THREAD_AND_RUN_REQUEST_FIELDS: tuple[str, ...] = (
    "assistant_id",
    "thread",
    "model",
    "instructions",
    "tools",
    "tool_resources",
    "metadata",
    "temperature",
    "top_p",
    "stream",
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
from ..models.create_thread_and_run_request_tool_resources_type_0 import CreateThreadAndRunRequestToolResourcesType0
from ..models.create_thread_request import CreateThreadRequest
from ..models.metadata_type_0 import MetadataType0
from ..models.response_format_json_object import ResponseFormatJsonObject
from ..models.response_format_json_schema import ResponseFormatJsonSchema
from ..models.response_format_text import ResponseFormatText
from ..models.truncation_object import TruncationObject
from ..models.unknown_object import UnknownObject
