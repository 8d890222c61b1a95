from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.assistant_object import AssistantObject
from ...models.create_assistant_request import CreateAssistantRequest
from ...models.error_response import ErrorResponse
from typing import cast


#: The HTTP method of this operation.
METHOD = "POST"
#: The path template, relative to the server URL.
PATH = "/assistants"
#: The names of the query parameters, as sent.
QUERY_PARAMETERS: tuple[str, ...] = ()


def request_path() -> str:
    """``PATH`` with each path parameter percent-encoded as one path segment."""
    return PATH


def _get_kwargs(
    *,
    body: CreateAssistantRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/assistants",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AssistantObject | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AssistantObject.from_dict(response.json())



        return response_200

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AssistantObject | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateAssistantRequest,

) -> Response[AssistantObject | ErrorResponse]:
    """ Create an assistant with a model and instructions.

    Args:
        body (CreateAssistantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssistantObject | ErrorResponse]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateAssistantRequest,

) -> AssistantObject | ErrorResponse | None:
    """ Create an assistant with a model and instructions.

    Args:
        body (CreateAssistantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssistantObject | ErrorResponse
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateAssistantRequest,

) -> Response[AssistantObject | ErrorResponse]:
    """ Create an assistant with a model and instructions.

    Args:
        body (CreateAssistantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssistantObject | ErrorResponse]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateAssistantRequest,

) -> AssistantObject | ErrorResponse | None:
    """ Create an assistant with a model and instructions.

    Args:
        body (CreateAssistantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssistantObject | ErrorResponse
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
