from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.list_assistants_response import ListAssistantsResponse
from ...types import UNSET, Unset
from typing import cast


#: The HTTP method of this operation.
METHOD = "GET"
#: The path template, relative to the server URL.
PATH = "/assistants"
#: The names of the query parameters, as sent.
QUERY_PARAMETERS: tuple[str, ...] = ("limit", "order", "after", "before", )


def request_path() -> str:
    """``PATH`` with each path parameter percent-encoded as one path segment."""
    return PATH


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["order"] = order

    params["after"] = after

    params["before"] = before


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/assistants",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | ListAssistantsResponse | None:
    if response.status_code == 200:
        response_200 = ListAssistantsResponse.from_dict(response.json())



        return response_200

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | ListAssistantsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,

) -> Response[ErrorResponse | ListAssistantsResponse]:
    """ Returns a list of assistants.

    Args:
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListAssistantsResponse]
     """


    kwargs = _get_kwargs(
        limit=limit,
order=order,
after=after,
before=before,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,

) -> ErrorResponse | ListAssistantsResponse | None:
    """ Returns a list of assistants.

    Args:
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListAssistantsResponse
     """


    return sync_detailed(
        client=client,
limit=limit,
order=order,
after=after,
before=before,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,

) -> Response[ErrorResponse | ListAssistantsResponse]:
    """ Returns a list of assistants.

    Args:
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListAssistantsResponse]
     """


    kwargs = _get_kwargs(
        limit=limit,
order=order,
after=after,
before=before,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,

) -> ErrorResponse | ListAssistantsResponse | None:
    """ Returns a list of assistants.

    Args:
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListAssistantsResponse
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
order=order,
after=after,
before=before,

    )).parsed
