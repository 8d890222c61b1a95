from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.assistants_api_response_format_option_type_0 import AssistantsApiResponseFormatOptionType0
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateAssistantRequest")



@_attrs_define
class CreateAssistantRequest:
    """ 
        Attributes:
            model (str): ID of the model to use. You can use the [List models](/docs/api-reference/models/list) API to see
                all of your available models, or see our [Model overview](/docs/models) for descriptions of them.
                 Example: gpt-4o.
            name (None | str | Unset):
            description (None | str | Unset):
            instructions (None | str | Unset):
            reasoning_effort (None | str | Unset):
            tools (list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject] | Unset): A
                list of tool enabled on the assistant. There can be a maximum of 128 tools per assistant. Tools can be of types
                `code_interpreter`, `file_search`, or `function`.
            tool_resources (CreateAssistantRequestToolResourcesType0 | None | Unset):
            metadata (MetadataType0 | None | Unset):
            temperature (float | None | Unset):
            top_p (float | None | Unset):
            response_format (AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject |
                ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset):
     """

    model: str
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    instructions: None | str | Unset = UNSET
    reasoning_effort: None | str | Unset = UNSET
    tools: list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject] | Unset = UNSET
    tool_resources: CreateAssistantRequestToolResourcesType0 | None | Unset = UNSET
    metadata: MetadataType0 | None | Unset = UNSET
    temperature: float | None | Unset = UNSET
    top_p: float | None | Unset = UNSET
    response_format: AssistantsApiResponseFormatOptionType0 | None | ResponseFormatJsonObject | ResponseFormatJsonSchema | ResponseFormatText | UnknownObject | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        model: str
        model = self.model

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        instructions: None | str | Unset
        if isinstance(self.instructions, Unset):
            instructions = UNSET
        else:
            instructions = self.instructions

        reasoning_effort: None | str | Unset
        if isinstance(self.reasoning_effort, Unset):
            reasoning_effort = UNSET
        else:
            reasoning_effort = self.reasoning_effort

        tools: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tools, Unset):
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



        tool_resources: dict[str, Any] | None | Unset
        if isinstance(self.tool_resources, Unset):
            tool_resources = UNSET
        elif isinstance(self.tool_resources, CreateAssistantRequestToolResourcesType0):
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
            "model": model,
        })
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if instructions is not UNSET:
            field_dict["instructions"] = instructions
        if reasoning_effort is not UNSET:
            field_dict["reasoning_effort"] = reasoning_effort
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
        if response_format is not UNSET:
            field_dict["response_format"] = response_format

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_model(data: object) -> str:
            return cast(str, data)

        model = _parse_model(d.pop("model"))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_instructions(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instructions = _parse_instructions(d.pop("instructions", UNSET))


        def _parse_reasoning_effort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reasoning_effort = _parse_reasoning_effort(d.pop("reasoning_effort", UNSET))


        _tools = d.pop("tools", UNSET)
        tools: list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction | UnknownObject] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
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


        def _parse_tool_resources(data: object) -> CreateAssistantRequestToolResourcesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tool_resources_type_0 = CreateAssistantRequestToolResourcesType0.from_dict(data)



                return tool_resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateAssistantRequestToolResourcesType0 | None | Unset, data)

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


        create_assistant_request = cls(
            model=model,
            name=name,
            description=description,
            instructions=instructions,
            reasoning_effort=reasoning_effort,
            tools=tools,
            tool_resources=tool_resources,
            metadata=metadata,
            temperature=temperature,
            top_p=top_p,
            response_format=response_format,
        )

        return create_assistant_request



#: The JSON field names of CreateAssistantRequest, in the spec's order.
CREATE_ASSISTANT_REQUEST_FIELDS: tuple[str, ...] = (
    "model",
    "name",
    "description",
    "instructions",
    "reasoning_effort",
    "tools",
    "tool_resources",
    "metadata",
    "temperature",
    "top_p",
    "response_format",
)


# At the bottom: models refer to each other in cycles (see the template's header).
from ..models.assistant_tools_code import AssistantToolsCode
from ..models.assistant_tools_file_search import AssistantToolsFileSearch
from ..models.assistant_tools_function import AssistantToolsFunction
from ..models.create_assistant_request_tool_resources_type_0 import CreateAssistantRequestToolResourcesType0
from ..models.metadata_type_0 import MetadataType0
from ..models.response_format_json_object import ResponseFormatJsonObject
from ..models.response_format_json_schema import ResponseFormatJsonSchema
from ..models.response_format_text import ResponseFormatText
from ..models.unknown_object import UnknownObject
