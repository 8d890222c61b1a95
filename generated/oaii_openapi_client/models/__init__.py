""" Contains all the data models used in inputs/outputs """

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
