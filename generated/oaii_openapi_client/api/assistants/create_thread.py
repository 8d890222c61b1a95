from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_thread_request import CreateThreadRequest
from ...models.error_response import ErrorResponse
from ...models.thread_object import ThreadObject
from ...types import UNSET, Unset
from typing import cast


#: The HTTP method of this operation.
METHOD = "POST"
#: The path template, relative to the server URL.
PATH = "/threads"
#: The names of the query parameters, as sent.
QUERY_PARAMETERS: tuple[str, ...] = ()


def request_path() -> str:
    """``PATH`` with each path parameter percent-encoded as one path segment."""
    return PATH


def _get_kwargs(
    *,
    body: CreateThreadRequest | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/threads",
    }

    
    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | ThreadObject | None:
    if response.status_code == 200:
        response_200 = ThreadObject.from_dict(response.json())



        return response_200

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | ThreadObject]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateThreadRequest | Unset = UNSET,

) -> Response[ErrorResponse | ThreadObject]:
    """ Create a thread.

    Args:
        body (CreateThreadRequest | Unset): Options to create a new thread. If no thread is
            provided when running a
            request, an empty thread will be created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ThreadObject]
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
    body: CreateThreadRequest | Unset = UNSET,

) -> ErrorResponse | ThreadObject | None:
    """ Create a thread.

    Args:
        body (CreateThreadRequest | Unset): Options to create a new thread. If no thread is
            provided when running a
            request, an empty thread will be created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ThreadObject
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateThreadRequest | Unset = UNSET,

) -> Response[ErrorResponse | ThreadObject]:
    """ Create a thread.

    Args:
        body (CreateThreadRequest | Unset): Options to create a new thread. If no thread is
            provided when running a
            request, an empty thread will be created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ThreadObject]
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
    body: CreateThreadRequest | Unset = UNSET,

) -> ErrorResponse | ThreadObject | None:
    """ Create a thread.

    Args:
        body (CreateThreadRequest | Unset): Options to create a new thread. If no thread is
            provided when running a
            request, an empty thread will be created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ThreadObject
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
