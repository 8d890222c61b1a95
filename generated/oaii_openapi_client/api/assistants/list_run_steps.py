from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.list_run_steps_include_item import ListRunStepsIncludeItem
from ...models.list_run_steps_response import ListRunStepsResponse
from ...types import UNSET, Unset
from typing import cast


#: The HTTP method of this operation.
METHOD = "GET"
#: The path template, relative to the server URL.
PATH = "/threads/{thread_id}/runs/{run_id}/steps"
#: The names of the query parameters, as sent.
QUERY_PARAMETERS: tuple[str, ...] = ("limit", "order", "after", "before", "include[]", )


def request_path(thread_id: str, run_id: str) -> str:
    """``PATH`` with each path parameter percent-encoded as one path segment."""
    return PATH.format(thread_id=quote(thread_id, safe=""),run_id=quote(run_id, safe=""),)


def _get_kwargs(
    thread_id: str,
    run_id: str,
    *,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,
    include: list[ListRunStepsIncludeItem] | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["order"] = order

    params["after"] = after

    params["before"] = before

    json_include: list[str] | Unset = UNSET
    if not isinstance(include, Unset):
        json_include = []
        for include_item_data in include:
            include_item = include_item_data.value
            json_include.append(include_item)


    params["include[]"] = json_include


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/threads/{thread_id}/runs/{run_id}/steps".format(thread_id=quote(str(thread_id), safe=""),run_id=quote(str(run_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | ListRunStepsResponse | None:
    if response.status_code == 200:
        response_200 = ListRunStepsResponse.from_dict(response.json())



        return response_200

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | ListRunStepsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    thread_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,
    include: list[ListRunStepsIncludeItem] | Unset = UNSET,

) -> Response[ErrorResponse | ListRunStepsResponse]:
    """ Returns a list of run steps belonging to a run.

    Args:
        thread_id (str):
        run_id (str):
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):
        include (list[ListRunStepsIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListRunStepsResponse]
     """


    kwargs = _get_kwargs(
        thread_id=thread_id,
run_id=run_id,
limit=limit,
order=order,
after=after,
before=before,
include=include,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    thread_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,
    include: list[ListRunStepsIncludeItem] | Unset = UNSET,

) -> ErrorResponse | ListRunStepsResponse | None:
    """ Returns a list of run steps belonging to a run.

    Args:
        thread_id (str):
        run_id (str):
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):
        include (list[ListRunStepsIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListRunStepsResponse
     """


    return sync_detailed(
        thread_id=thread_id,
run_id=run_id,
client=client,
limit=limit,
order=order,
after=after,
before=before,
include=include,

    ).parsed

async def asyncio_detailed(
    thread_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,
    include: list[ListRunStepsIncludeItem] | Unset = UNSET,

) -> Response[ErrorResponse | ListRunStepsResponse]:
    """ Returns a list of run steps belonging to a run.

    Args:
        thread_id (str):
        run_id (str):
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):
        include (list[ListRunStepsIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListRunStepsResponse]
     """


    kwargs = _get_kwargs(
        thread_id=thread_id,
run_id=run_id,
limit=limit,
order=order,
after=after,
before=before,
include=include,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    thread_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: str | Unset = UNSET,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,
    include: list[ListRunStepsIncludeItem] | Unset = UNSET,

) -> ErrorResponse | ListRunStepsResponse | None:
    """ Returns a list of run steps belonging to a run.

    Args:
        thread_id (str):
        run_id (str):
        limit (int | Unset):
        order (str | Unset):
        after (str | Unset):
        before (str | Unset):
        include (list[ListRunStepsIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListRunStepsResponse
     """


    return (await asyncio_detailed(
        thread_id=thread_id,
run_id=run_id,
client=client,
limit=limit,
order=order,
after=after,
before=before,
include=include,

    )).parsed
