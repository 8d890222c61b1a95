"""schemathesis against the running local server, with the server's own copy of the spec.

Ids are constrained to the forms the server knows (``thread_...``, ``asst_...``,
``run_...``) so requests reach the API's logic instead of stopping at a 404.
Checks: no 5xx, every response valid against its schema, every status code and
content type declared (the server's deliberate additions are S1/S2 in
``openapi/subset.py``).  Examples are bounded to keep the suite fast;
``OAII_CONFORMANCE_FULL=1`` adds schemathesis's coverage phase (boundary values).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings
from oaii.server import Fault, LocalServer
from oaii.server._schema import spec

schemathesis = pytest.importorskip("schemathesis", reason="the dev extra installs schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import Failure, FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..conftest import KEY, skip_unless_spec  # noqa: E402

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# schemathesis's coverage phase (boundary values of every field) takes ~10 s on createRun
# alone; the suite runs fuzzing and the spec's examples, OAII_CONFORMANCE_FULL=1 adds it.
COVERAGE = os.environ.get("OAII_CONFORMANCE_FULL") == "1"
PATTERNS = {
    "thread_id": "^thread_[a-z0-9]{1,6}$",
    "run_id": "^run_[a-z0-9]{1,6}$",
    "assistant_id": "^asst_[a-z0-9]{1,6}$",
    "message_id": "^msg_[a-z0-9]{1,6}$",
    "step_id": "^step_[a-z0-9]{1,6}$",
}


def constrained() -> dict:
    doc = copy.deepcopy(spec())
    for item in doc["paths"].values():
        for operation in item.values():
            for param in operation.get("parameters", []):
                if param["name"] in PATTERNS:
                    param["schema"] = {"type": "string", "pattern": PATTERNS[param["name"]]}
    for name in ("CreateRunRequest", "CreateThreadAndRunRequest"):
        body = doc["components"]["schemas"][name]["properties"]
        body["assistant_id"] = {"type": "string", "pattern": "^asst_[a-z0-9]{1,6}$"}
    return doc


SCHEMA = schemathesis.openapi.from_dict(
    constrained(), config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
)


@pytest.fixture(scope="module")
def live() -> Iterator[LocalServer]:
    with LocalServer(create_missing=True, max_runs=200) as server:
        yield server


@SCHEMA.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    derandomize=True,
)
def test_the_server_conforms_to_its_spec(case: schemathesis.Case, live: LocalServer) -> None:
    skip_unless_spec("response:truncation_strategy")  # the server builds Assistants v2 runs
    case.call_and_validate(base_url=live.url, headers=HEADERS, checks=CHECKS, timeout=10)
    assert live.requests, "the cases reached the server"


@pytest.mark.parametrize(
    "fault",
    [
        Fault(
            status=500,
            body=b'{"error": {"message": "boom", "type": "server_error", "param": null, "code": null}}',
        ),
        Fault(status=418, body=b'{"error": {"message": "teapot", "type": "x", "param": null, "code": null}}'),
        Fault("patch", drop=("status",)),
    ],
    ids=["5xx", "undeclared status", "broken run"],
)
def test_the_checks_can_fail(live: LocalServer, fault: Fault) -> None:
    case = SCHEMA["/threads/{thread_id}/runs"]["POST"].Case(
        path_parameters={"thread_id": "thread_f"}, body={"assistant_id": "asst_1"}
    )
    live.inject(fault)
    with pytest.raises((Failure, FailureGroup)):
        case.call_and_validate(base_url=live.url, headers=HEADERS, checks=CHECKS, timeout=10)
