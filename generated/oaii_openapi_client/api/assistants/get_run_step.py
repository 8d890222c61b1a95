from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.get_run_step_include_item import GetRunStepIncludeItem
from ...models.run_step_object import RunStepObject
from ...types import UNSET, Unset
from typing import cast


#: The HTTP method of this operation.
METHOD = "GET"
#: The path template, relative to the server URL.
PATH = "/threads/{thread_id}/runs/{run_id}/steps/{step_id}"
#: The names of the query parameters, as sent.
QUERY_PARAMETERS: tuple[str, ...] = ("include[]", )


def request_path(thread_id: str, run_id: str, step_id: str) -> str:
    """``PATH`` with each path parameter percent-encoded as one path segment."""
    return PATH.format(thread_id=quote(thread_id, safe=""),run_id=quote(run_id, safe=""),step_id=quote(step_id, safe=""),)


def _get_kwargs(
    thread_id: str,
    run_id: str,
    step_id: str,
    *,
    include: list[GetRunStepIncludeItem] | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

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
        "url": "/threads/{thread_id}/runs/{run_id}/steps/{step_id}".format(thread_id=quote(str(thread_id), safe=""),run_id=quote(str(run_id), safe=""),step_id=quote(str(step_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | RunStepObject | None:
    if response.status_code == 200:
        response_200 = RunStepObject.from_dict(response.json())



        return response_200

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | RunStepObject]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    thread_id: str,
    run_id: str,
    step_id: str,
    *,
    client: AuthenticatedClient | Client,
    include: list[GetRunStepIncludeItem] | Unset = UNSET,

) -> Response[ErrorResponse | RunStepObject]:
    """ Retrieves a run step.

    Args:
        thread_id (str):
        run_id (str):
        step_id (str):
        include (list[GetRunStepIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RunStepObject]
     """


    kwargs = _get_kwargs(
        thread_id=thread_id,
run_id=run_id,
step_id=step_id,
include=include,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    thread_id: str,
    run_id: str,
    step_id: str,
    *,
    client: AuthenticatedClient | Client,
    include: list[GetRunStepIncludeItem] | Unset = UNSET,

) -> ErrorResponse | RunStepObject | None:
    """ Retrieves a run step.

    Args:
        thread_id (str):
        run_id (str):
        step_id (str):
        include (list[GetRunStepIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RunStepObject
     """


    return sync_detailed(
        thread_id=thread_id,
run_id=run_id,
step_id=step_id,
client=client,
include=include,

    ).parsed

async def asyncio_detailed(
    thread_id: str,
    run_id: str,
    step_id: str,
    *,
    client: AuthenticatedClient | Client,
    include: list[GetRunStepIncludeItem] | Unset = UNSET,

) -> Response[ErrorResponse | RunStepObject]:
    """ Retrieves a run step.

    Args:
        thread_id (str):
        run_id (str):
        step_id (str):
        include (list[GetRunStepIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RunStepObject]
     """


    kwargs = _get_kwargs(
        thread_id=thread_id,
run_id=run_id,
step_id=step_id,
include=include,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    thread_id: str,
    run_id: str,
    step_id: str,
    *,
    client: AuthenticatedClient | Client,
    include: list[GetRunStepIncludeItem] | Unset = UNSET,

) -> ErrorResponse | RunStepObject | None:
    """ Retrieves a run step.

    Args:
        thread_id (str):
        run_id (str):
        step_id (str):
        include (list[GetRunStepIncludeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RunStepObject
     """


    return (await asyncio_detailed(
        thread_id=thread_id,
run_id=run_id,
step_id=step_id,
client=client,
include=include,

    )).parsed
