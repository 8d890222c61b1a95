""" Contains all the data models used in inputs/outputs (each module imported on first use) """

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assistant_tools_code import AssistantToolsCode
    from .assistant_tools_code_type import AssistantToolsCodeType
    from .assistant_tools_file_search import AssistantToolsFileSearch
    from .assistant_tools_file_search_file_search import AssistantToolsFileSearchFileSearch
    from .assistant_tools_file_search_type import AssistantToolsFileSearchType
    from .assistant_tools_file_search_type_only import AssistantToolsFileSearchTypeOnly
    from .assistant_tools_file_search_type_only_type import AssistantToolsFileSearchTypeOnlyType
    from .assistant_tools_function import AssistantToolsFunction
    from .assistant_tools_function_type import AssistantToolsFunctionType
    from .assistants_api_response_format_option_type_0 import AssistantsApiResponseFormatOptionType0
    from .assistants_named_tool_choice import AssistantsNamedToolChoice
    from .assistants_named_tool_choice_function import AssistantsNamedToolChoiceFunction
    from .create_message_request import CreateMessageRequest
    from .create_message_request_attachments_type_0_item import CreateMessageRequestAttachmentsType0Item
    from .create_run_include_item import CreateRunIncludeItem
    from .create_run_request import CreateRunRequest
    from .error import Error
    from .error_response import ErrorResponse
    from .file_search_ranking_options import FileSearchRankingOptions
    from .function_object import FunctionObject
    from .function_parameters import FunctionParameters
    from .list_runs_response import ListRunsResponse
    from .message_content_image_file_object import MessageContentImageFileObject
    from .message_content_image_file_object_image_file import MessageContentImageFileObjectImageFile
    from .message_content_image_file_object_type import MessageContentImageFileObjectType
    from .message_content_image_url_object import MessageContentImageUrlObject
    from .message_content_image_url_object_image_url import MessageContentImageUrlObjectImageUrl
    from .message_content_image_url_object_type import MessageContentImageUrlObjectType
    from .message_request_content_text_object import MessageRequestContentTextObject
    from .message_request_content_text_object_type import MessageRequestContentTextObjectType
    from .metadata_type_0 import MetadataType0
    from .response_format_json_object import ResponseFormatJsonObject
    from .response_format_json_object_type import ResponseFormatJsonObjectType
    from .response_format_json_schema import ResponseFormatJsonSchema
    from .response_format_json_schema_json_schema import ResponseFormatJsonSchemaJsonSchema
    from .response_format_json_schema_schema import ResponseFormatJsonSchemaSchema
    from .response_format_json_schema_type import ResponseFormatJsonSchemaType
    from .response_format_text import ResponseFormatText
    from .response_format_text_type import ResponseFormatTextType
    from .run_completion_usage_type_0 import RunCompletionUsageType0
    from .run_object import RunObject
    from .run_object_incomplete_details_type_0 import RunObjectIncompleteDetailsType0
    from .run_object_last_error_type_0 import RunObjectLastErrorType0
    from .run_object_object import RunObjectObject
    from .run_object_required_action_type_0 import RunObjectRequiredActionType0
    from .run_object_required_action_type_0_submit_tool_outputs import RunObjectRequiredActionType0SubmitToolOutputs
    from .run_object_required_action_type_0_type import RunObjectRequiredActionType0Type
    from .run_tool_call_object import RunToolCallObject
    from .run_tool_call_object_function import RunToolCallObjectFunction
    from .run_tool_call_object_type import RunToolCallObjectType
    from .submit_tool_outputs_run_request import SubmitToolOutputsRunRequest
    from .submit_tool_outputs_run_request_tool_outputs_item import SubmitToolOutputsRunRequestToolOutputsItem
    from .truncation_object import TruncationObject
    from .unknown_object import UnknownObject

# name -> the module that defines it
_MODULES: dict[str, str] = {
    "AssistantToolsCode": ".assistant_tools_code",
    "AssistantToolsCodeType": ".assistant_tools_code_type",
    "AssistantToolsFileSearch": ".assistant_tools_file_search",
    "AssistantToolsFileSearchFileSearch": ".assistant_tools_file_search_file_search",
    "AssistantToolsFileSearchType": ".assistant_tools_file_search_type",
    "AssistantToolsFileSearchTypeOnly": ".assistant_tools_file_search_type_only",
    "AssistantToolsFileSearchTypeOnlyType": ".assistant_tools_file_search_type_only_type",
    "AssistantToolsFunction": ".assistant_tools_function",
    "AssistantToolsFunctionType": ".assistant_tools_function_type",
    "AssistantsApiResponseFormatOptionType0": ".assistants_api_response_format_option_type_0",
    "AssistantsNamedToolChoice": ".assistants_named_tool_choice",
    "AssistantsNamedToolChoiceFunction": ".assistants_named_tool_choice_function",
    "CreateMessageRequest": ".create_message_request",
    "CreateMessageRequestAttachmentsType0Item": ".create_message_request_attachments_type_0_item",
    "CreateRunIncludeItem": ".create_run_include_item",
    "CreateRunRequest": ".create_run_request",
    "Error": ".error",
    "ErrorResponse": ".error_response",
    "FileSearchRankingOptions": ".file_search_ranking_options",
    "FunctionObject": ".function_object",
    "FunctionParameters": ".function_parameters",
    "ListRunsResponse": ".list_runs_response",
    "MessageContentImageFileObject": ".message_content_image_file_object",
    "MessageContentImageFileObjectImageFile": ".message_content_image_file_object_image_file",
    "MessageContentImageFileObjectType": ".message_content_image_file_object_type",
    "MessageContentImageUrlObject": ".message_content_image_url_object",
    "MessageContentImageUrlObjectImageUrl": ".message_content_image_url_object_image_url",
    "MessageContentImageUrlObjectType": ".message_content_image_url_object_type",
    "MessageRequestContentTextObject": ".message_request_content_text_object",
    "MessageRequestContentTextObjectType": ".message_request_content_text_object_type",
    "MetadataType0": ".metadata_type_0",
    "ResponseFormatJsonObject": ".response_format_json_object",
    "ResponseFormatJsonObjectType": ".response_format_json_object_type",
    "ResponseFormatJsonSchema": ".response_format_json_schema",
    "ResponseFormatJsonSchemaJsonSchema": ".response_format_json_schema_json_schema",
    "ResponseFormatJsonSchemaSchema": ".response_format_json_schema_schema",
    "ResponseFormatJsonSchemaType": ".response_format_json_schema_type",
    "ResponseFormatText": ".response_format_text",
    "ResponseFormatTextType": ".response_format_text_type",
    "RunCompletionUsageType0": ".run_completion_usage_type_0",
    "RunObject": ".run_object",
    "RunObjectIncompleteDetailsType0": ".run_object_incomplete_details_type_0",
    "RunObjectLastErrorType0": ".run_object_last_error_type_0",
    "RunObjectObject": ".run_object_object",
    "RunObjectRequiredActionType0": ".run_object_required_action_type_0",
    "RunObjectRequiredActionType0SubmitToolOutputs": ".run_object_required_action_type_0_submit_tool_outputs",
    "RunObjectRequiredActionType0Type": ".run_object_required_action_type_0_type",
    "RunToolCallObject": ".run_tool_call_object",
    "RunToolCallObjectFunction": ".run_tool_call_object_function",
    "RunToolCallObjectType": ".run_tool_call_object_type",
    "SubmitToolOutputsRunRequest": ".submit_tool_outputs_run_request",
    "SubmitToolOutputsRunRequestToolOutputsItem": ".submit_tool_outputs_run_request_tool_outputs_item",
    "TruncationObject": ".truncation_object",
    "UnknownObject": ".unknown_object",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # the next lookup is a plain global
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULES))

__all__ = (
    "AssistantsApiResponseFormatOptionType0",
    "AssistantsNamedToolChoice",
    "AssistantsNamedToolChoiceFunction",
    "AssistantToolsCode",
    "AssistantToolsCodeType",
    "AssistantToolsFileSearch",
    "AssistantToolsFileSearchFileSearch",
    "AssistantToolsFileSearchType",
    "AssistantToolsFileSearchTypeOnly",
    "AssistantToolsFileSearchTypeOnlyType",
    "AssistantToolsFunction",
    "AssistantToolsFunctionType",
    "CreateMessageRequest",
    "CreateMessageRequestAttachmentsType0Item",
    "CreateRunIncludeItem",
    "CreateRunRequest",
    "Error",
    "ErrorResponse",
    "FileSearchRankingOptions",
    "FunctionObject",
    "FunctionParameters",
    "ListRunsResponse",
    "MessageContentImageFileObject",
    "MessageContentImageFileObjectImageFile",
    "MessageContentImageFileObjectType",
    "MessageContentImageUrlObject",
    "MessageContentImageUrlObjectImageUrl",
    "MessageContentImageUrlObjectType",
    "MessageRequestContentTextObject",
    "MessageRequestContentTextObjectType",
    "MetadataType0",
    "ResponseFormatJsonObject",
    "ResponseFormatJsonObjectType",
    "ResponseFormatJsonSchema",
    "ResponseFormatJsonSchemaJsonSchema",
    "ResponseFormatJsonSchemaSchema",
    "ResponseFormatJsonSchemaType",
    "ResponseFormatText",
    "ResponseFormatTextType",
    "RunCompletionUsageType0",
    "RunObject",
    "RunObjectIncompleteDetailsType0",
    "RunObjectLastErrorType0",
    "RunObjectObject",
    "RunObjectRequiredActionType0",
    "RunObjectRequiredActionType0SubmitToolOutputs",
    "RunObjectRequiredActionType0Type",
    "RunToolCallObject",
    "RunToolCallObjectFunction",
    "RunToolCallObjectType",
    "SubmitToolOutputsRunRequest",
    "SubmitToolOutputsRunRequestToolOutputsItem",
    "TruncationObject",
    "UnknownObject",
)
