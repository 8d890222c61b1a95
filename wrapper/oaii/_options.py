"""The keyword arguments of the public functions and methods, as typed dicts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import httpx
from oaii_openapi_client.models.create_run_request import CreateRunRequestOptions

from ._retry import RetryPolicy

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject


# The CreateRunRequest fields beyond the seed's arguments, generated from the spec by the
# template openapi/templates/request_options.py.jinja: a regenerated spec updates the keyword
# arguments, their types and the validation together, with no edit here.
RunFields = CreateRunRequestOptions


class ClientOptions(TypedDict, total=False):
    """A client's settings (``Client(...)``, ``with_options(...)``), also accepted by the front doors."""

    base_url: str | None
    organization: str | None
    project: str | None
    timeout: float | httpx.Timeout | None
    total_timeout: float | None
    max_retries: int | RetryPolicy
    validate: bool
    max_response_bytes: int
    http: Literal["oaii", "httpx"] | None
    proxy: str | httpx.URL | httpx.Proxy | None


class ClientSettings(ClientOptions, total=False):
    """Everything ``Client(...)`` takes but ``http_client``."""

    api_key: str | None
    default_headers: Mapping[str, str] | None


class CreateArgs(RunFields, total=False):
    """What a create method takes beyond the seed's arguments."""

    include: Sequence[str] | None
    extra_body: Mapping[str, Any] | None
    extra_headers: Mapping[str, str] | None
    idempotency_key: str | None


class PollArgs(TypedDict, total=False):
    poll_interval: float
    poll_timeout: float | None
    on_status: Callable[[RunObject], None] | None


class CreateAndPollArgs(CreateArgs, PollArgs, total=False):
    pass


class GetArgs(TypedDict, total=False):
    extra_headers: Mapping[str, str] | None


class RunOptions(CreateArgs, ClientOptions, total=False):
    http_client: httpx.Client | None


class AsyncRunOptions(CreateArgs, ClientOptions, total=False):
    http_client: httpx.AsyncClient | None


class GetOptions(GetArgs, ClientOptions, total=False):
    http_client: httpx.Client | None


class AsyncGetOptions(GetArgs, ClientOptions, total=False):
    http_client: httpx.AsyncClient | None


class PollOptions(RunOptions, PollArgs, total=False):
    pass


class AsyncPollOptions(AsyncRunOptions, PollArgs, total=False):
    pass


CLIENT_OPTION_NAMES = frozenset(ClientOptions.__optional_keys__)
CLIENT_SETTING_NAMES = frozenset(ClientSettings.__optional_keys__)
