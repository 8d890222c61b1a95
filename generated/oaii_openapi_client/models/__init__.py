""" Contains all the data models used in inputs/outputs """

from .assistant_object import AssistantObject
from .assistant_object_object import AssistantObjectObject
from .assistant_object_tool_resources_type_0 import AssistantObjectToolResourcesType0
from .assistant_object_tool_resources_type_0_code_interpreter import AssistantObjectToolResourcesType0CodeInterpreter
from .assistant_object_tool_resources_type_0_file_search import AssistantObjectToolResourcesType0FileSearch
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
from .create_assistant_request import CreateAssistantRequest
from .create_assistant_request_tool_resources_type_0 import CreateAssistantRequestToolResourcesType0
from .create_assistant_request_tool_resources_type_0_code_interpreter import CreateAssistantRequestToolResourcesType0CodeInterpreter
from .create_message_request import CreateMessageRequest
from .create_message_request_attachments_type_0_item import CreateMessageRequestAttachmentsType0Item
from .create_run_include_item import CreateRunIncludeItem
from .create_run_request import CreateRunRequest
from .create_thread_and_run_request import CreateThreadAndRunRequest
from .create_thread_and_run_request_tool_resources_type_0 import CreateThreadAndRunRequestToolResourcesType0
from .create_thread_and_run_request_tool_resources_type_0_code_interpreter import CreateThreadAndRunRequestToolResourcesType0CodeInterpreter
from .create_thread_and_run_request_tool_resources_type_0_file_search import CreateThreadAndRunRequestToolResourcesType0FileSearch
from .create_thread_request import CreateThreadRequest
from .create_thread_request_tool_resources_type_0 import CreateThreadRequestToolResourcesType0
from .create_thread_request_tool_resources_type_0_code_interpreter import CreateThreadRequestToolResourcesType0CodeInterpreter
from .delete_assistant_response import DeleteAssistantResponse
from .delete_assistant_response_object import DeleteAssistantResponseObject
from .delete_message_response import DeleteMessageResponse
from .delete_message_response_object import DeleteMessageResponseObject
from .delete_thread_response import DeleteThreadResponse
from .delete_thread_response_object import DeleteThreadResponseObject
from .error import Error
from .error_response import ErrorResponse
from .file_search_ranking_options import FileSearchRankingOptions
from .function_object import FunctionObject
from .function_parameters import FunctionParameters
from .get_run_step_include_item import GetRunStepIncludeItem
from .list_assistants_response import ListAssistantsResponse
from .list_messages_response import ListMessagesResponse
from .list_run_steps_include_item import ListRunStepsIncludeItem
from .list_run_steps_response import ListRunStepsResponse
from .list_runs_response import ListRunsResponse
from .message_content_image_file_object import MessageContentImageFileObject
from .message_content_image_file_object_image_file import MessageContentImageFileObjectImageFile
from .message_content_image_file_object_type import MessageContentImageFileObjectType
from .message_content_image_url_object import MessageContentImageUrlObject
from .message_content_image_url_object_image_url import MessageContentImageUrlObjectImageUrl
from .message_content_image_url_object_type import MessageContentImageUrlObjectType
from .message_content_refusal_object import MessageContentRefusalObject
from .message_content_refusal_object_type import MessageContentRefusalObjectType
from .message_content_text_annotations_file_citation_object import MessageContentTextAnnotationsFileCitationObject
from .message_content_text_annotations_file_citation_object_file_citation import MessageContentTextAnnotationsFileCitationObjectFileCitation
from .message_content_text_annotations_file_citation_object_type import MessageContentTextAnnotationsFileCitationObjectType
from .message_content_text_annotations_file_path_object import MessageContentTextAnnotationsFilePathObject
from .message_content_text_annotations_file_path_object_file_path import MessageContentTextAnnotationsFilePathObjectFilePath
from .message_content_text_annotations_file_path_object_type import MessageContentTextAnnotationsFilePathObjectType
from .message_content_text_object import MessageContentTextObject
from .message_content_text_object_text import MessageContentTextObjectText
from .message_content_text_object_type import MessageContentTextObjectType
from .message_object import MessageObject
from .message_object_attachments_type_0_item import MessageObjectAttachmentsType0Item
from .message_object_incomplete_details_type_0 import MessageObjectIncompleteDetailsType0
from .message_object_object import MessageObjectObject
from .message_request_content_text_object import MessageRequestContentTextObject
from .message_request_content_text_object_type import MessageRequestContentTextObjectType
from .metadata_type_0 import MetadataType0
from .modify_assistant_request import ModifyAssistantRequest
from .modify_assistant_request_tool_resources_type_0 import ModifyAssistantRequestToolResourcesType0
from .modify_assistant_request_tool_resources_type_0_code_interpreter import ModifyAssistantRequestToolResourcesType0CodeInterpreter
from .modify_assistant_request_tool_resources_type_0_file_search import ModifyAssistantRequestToolResourcesType0FileSearch
from .modify_message_request import ModifyMessageRequest
from .modify_run_request import ModifyRunRequest
from .modify_thread_request import ModifyThreadRequest
from .modify_thread_request_tool_resources_type_0 import ModifyThreadRequestToolResourcesType0
from .modify_thread_request_tool_resources_type_0_code_interpreter import ModifyThreadRequestToolResourcesType0CodeInterpreter
from .modify_thread_request_tool_resources_type_0_file_search import ModifyThreadRequestToolResourcesType0FileSearch
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
from .run_step_completion_usage_type_0 import RunStepCompletionUsageType0
from .run_step_details_message_creation_object import RunStepDetailsMessageCreationObject
from .run_step_details_message_creation_object_message_creation import RunStepDetailsMessageCreationObjectMessageCreation
from .run_step_details_message_creation_object_type import RunStepDetailsMessageCreationObjectType
from .run_step_details_tool_calls_code_object import RunStepDetailsToolCallsCodeObject
from .run_step_details_tool_calls_code_object_code_interpreter import RunStepDetailsToolCallsCodeObjectCodeInterpreter
from .run_step_details_tool_calls_code_object_type import RunStepDetailsToolCallsCodeObjectType
from .run_step_details_tool_calls_code_output_image_object import RunStepDetailsToolCallsCodeOutputImageObject
from .run_step_details_tool_calls_code_output_image_object_image import RunStepDetailsToolCallsCodeOutputImageObjectImage
from .run_step_details_tool_calls_code_output_image_object_type import RunStepDetailsToolCallsCodeOutputImageObjectType
from .run_step_details_tool_calls_code_output_logs_object import RunStepDetailsToolCallsCodeOutputLogsObject
from .run_step_details_tool_calls_code_output_logs_object_type import RunStepDetailsToolCallsCodeOutputLogsObjectType
from .run_step_details_tool_calls_file_search_object import RunStepDetailsToolCallsFileSearchObject
from .run_step_details_tool_calls_file_search_object_file_search import RunStepDetailsToolCallsFileSearchObjectFileSearch
from .run_step_details_tool_calls_file_search_object_type import RunStepDetailsToolCallsFileSearchObjectType
from .run_step_details_tool_calls_file_search_ranking_options_object import RunStepDetailsToolCallsFileSearchRankingOptionsObject
from .run_step_details_tool_calls_file_search_result_object import RunStepDetailsToolCallsFileSearchResultObject
from .run_step_details_tool_calls_file_search_result_object_content_item import RunStepDetailsToolCallsFileSearchResultObjectContentItem
from .run_step_details_tool_calls_file_search_result_object_content_item_type import RunStepDetailsToolCallsFileSearchResultObjectContentItemType
from .run_step_details_tool_calls_function_object import RunStepDetailsToolCallsFunctionObject
from .run_step_details_tool_calls_function_object_function import RunStepDetailsToolCallsFunctionObjectFunction
from .run_step_details_tool_calls_function_object_type import RunStepDetailsToolCallsFunctionObjectType
from .run_step_details_tool_calls_object import RunStepDetailsToolCallsObject
from .run_step_details_tool_calls_object_type import RunStepDetailsToolCallsObjectType
from .run_step_object import RunStepObject
from .run_step_object_last_error_type_0 import RunStepObjectLastErrorType0
from .run_step_object_object import RunStepObjectObject
from .run_tool_call_object import RunToolCallObject
from .run_tool_call_object_function import RunToolCallObjectFunction
from .run_tool_call_object_type import RunToolCallObjectType
from .submit_tool_outputs_run_request import SubmitToolOutputsRunRequest
from .submit_tool_outputs_run_request_tool_outputs_item import SubmitToolOutputsRunRequestToolOutputsItem
from .thread_object import ThreadObject
from .thread_object_object import ThreadObjectObject
from .thread_object_tool_resources_type_0 import ThreadObjectToolResourcesType0
from .thread_object_tool_resources_type_0_code_interpreter import ThreadObjectToolResourcesType0CodeInterpreter
from .thread_object_tool_resources_type_0_file_search import ThreadObjectToolResourcesType0FileSearch
from .truncation_object import TruncationObject
from .unknown_object import UnknownObject

__all__ = (
    "AssistantObject",
    "AssistantObjectObject",
    "AssistantObjectToolResourcesType0",
    "AssistantObjectToolResourcesType0CodeInterpreter",
    "AssistantObjectToolResourcesType0FileSearch",
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
    "CreateAssistantRequest",
    "CreateAssistantRequestToolResourcesType0",
    "CreateAssistantRequestToolResourcesType0CodeInterpreter",
    "CreateMessageRequest",
    "CreateMessageRequestAttachmentsType0Item",
    "CreateRunIncludeItem",
    "CreateRunRequest",
    "CreateThreadAndRunRequest",
    "CreateThreadAndRunRequestToolResourcesType0",
    "CreateThreadAndRunRequestToolResourcesType0CodeInterpreter",
    "CreateThreadAndRunRequestToolResourcesType0FileSearch",
    "CreateThreadRequest",
    "CreateThreadRequestToolResourcesType0",
    "CreateThreadRequestToolResourcesType0CodeInterpreter",
    "DeleteAssistantResponse",
    "DeleteAssistantResponseObject",
    "DeleteMessageResponse",
    "DeleteMessageResponseObject",
    "DeleteThreadResponse",
    "DeleteThreadResponseObject",
    "Error",
    "ErrorResponse",
    "FileSearchRankingOptions",
    "FunctionObject",
    "FunctionParameters",
    "GetRunStepIncludeItem",
    "ListAssistantsResponse",
    "ListMessagesResponse",
    "ListRunsResponse",
    "ListRunStepsIncludeItem",
    "ListRunStepsResponse",
    "MessageContentImageFileObject",
    "MessageContentImageFileObjectImageFile",
    "MessageContentImageFileObjectType",
    "MessageContentImageUrlObject",
    "MessageContentImageUrlObjectImageUrl",
    "MessageContentImageUrlObjectType",
    "MessageContentRefusalObject",
    "MessageContentRefusalObjectType",
    "MessageContentTextAnnotationsFileCitationObject",
    "MessageContentTextAnnotationsFileCitationObjectFileCitation",
    "MessageContentTextAnnotationsFileCitationObjectType",
    "MessageContentTextAnnotationsFilePathObject",
    "MessageContentTextAnnotationsFilePathObjectFilePath",
    "MessageContentTextAnnotationsFilePathObjectType",
    "MessageContentTextObject",
    "MessageContentTextObjectText",
    "MessageContentTextObjectType",
    "MessageObject",
    "MessageObjectAttachmentsType0Item",
    "MessageObjectIncompleteDetailsType0",
    "MessageObjectObject",
    "MessageRequestContentTextObject",
    "MessageRequestContentTextObjectType",
    "MetadataType0",
    "ModifyAssistantRequest",
    "ModifyAssistantRequestToolResourcesType0",
    "ModifyAssistantRequestToolResourcesType0CodeInterpreter",
    "ModifyAssistantRequestToolResourcesType0FileSearch",
    "ModifyMessageRequest",
    "ModifyRunRequest",
    "ModifyThreadRequest",
    "ModifyThreadRequestToolResourcesType0",
    "ModifyThreadRequestToolResourcesType0CodeInterpreter",
    "ModifyThreadRequestToolResourcesType0FileSearch",
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
    "RunStepCompletionUsageType0",
    "RunStepDetailsMessageCreationObject",
    "RunStepDetailsMessageCreationObjectMessageCreation",
    "RunStepDetailsMessageCreationObjectType",
    "RunStepDetailsToolCallsCodeObject",
    "RunStepDetailsToolCallsCodeObjectCodeInterpreter",
    "RunStepDetailsToolCallsCodeObjectType",
    "RunStepDetailsToolCallsCodeOutputImageObject",
    "RunStepDetailsToolCallsCodeOutputImageObjectImage",
    "RunStepDetailsToolCallsCodeOutputImageObjectType",
    "RunStepDetailsToolCallsCodeOutputLogsObject",
    "RunStepDetailsToolCallsCodeOutputLogsObjectType",
    "RunStepDetailsToolCallsFileSearchObject",
    "RunStepDetailsToolCallsFileSearchObjectFileSearch",
    "RunStepDetailsToolCallsFileSearchObjectType",
    "RunStepDetailsToolCallsFileSearchRankingOptionsObject",
    "RunStepDetailsToolCallsFileSearchResultObject",
    "RunStepDetailsToolCallsFileSearchResultObjectContentItem",
    "RunStepDetailsToolCallsFileSearchResultObjectContentItemType",
    "RunStepDetailsToolCallsFunctionObject",
    "RunStepDetailsToolCallsFunctionObjectFunction",
    "RunStepDetailsToolCallsFunctionObjectType",
    "RunStepDetailsToolCallsObject",
    "RunStepDetailsToolCallsObjectType",
    "RunStepObject",
    "RunStepObjectLastErrorType0",
    "RunStepObjectObject",
    "RunToolCallObject",
    "RunToolCallObjectFunction",
    "RunToolCallObjectType",
    "SubmitToolOutputsRunRequest",
    "SubmitToolOutputsRunRequestToolOutputsItem",
    "ThreadObject",
    "ThreadObjectObject",
    "ThreadObjectToolResourcesType0",
    "ThreadObjectToolResourcesType0CodeInterpreter",
    "ThreadObjectToolResourcesType0FileSearch",
    "TruncationObject",
    "UnknownObject",
)
