"""RetryPolicy, the public knob for retries: its defaults and the waits it asks for."""

from __future__ import annotations

import pytest
from oaii import InputError, RetryPolicy


def test_defaults() -> None:
    policy = RetryPolicy()
    assert policy == RetryPolicy(max_retries=2, backoff_base=0.5, backoff_max=8.0, max_retry_after=60.0)
    assert (policy.max_retries, policy.backoff_base, policy.backoff_max, policy.max_retry_after) == (
        2,
        0.5,
        8.0,
        60.0,
    )


@pytest.mark.parametrize(
    ("retry", "low", "high"), [(1, 0.375, 0.5), (2, 0.75, 1.0), (4, 3.0, 4.0), (9, 6.0, 8.0)]
)
def test_default_backoff_doubles_from_half_a_second_up_to_eight_with_jitter(
    retry: int, low: float, high: float
) -> None:
    """0.5 s, 1 s, 2 s, ... capped at 8 s, each less up to a quarter (jitter)."""
    waits = [RetryPolicy().delay(retry) for _ in range(200)]
    assert all(low <= wait <= high for wait in waits)
    assert max(waits) - min(waits) > (high - low) / 4  # jittered, not one value
    # The jitter spans the whole quarter: of 200 waits, one at most 5% below the backoff
    # (that none is has a chance of 0.8 ** 200, about 1e-19).
    assert max(waits) > 0.95 * high


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "3600"}, 60.0),  # a server's hint is capped at max_retry_after (60 s)
        ({"retry-after-ms": "-5"}, 0.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past: no wait
        ({"retry-after-ms": "soon", "retry-after": "2"}, 2.0),
    ],
)
def test_a_server_hint_wins_and_is_capped(headers: dict[str, str], expected: float) -> None:
    assert RetryPolicy().delay(1, headers) == expected


def test_retried_statuses() -> None:
    policy = RetryPolicy()
    assert [
        s for s in (400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 599) if policy.retries_status(s)
    ] == [
        408,
        409,
        429,
        500,
        502,
        503,
        599,
    ]


@pytest.mark.parametrize(
    ("field", "argument", "rule"),
    [
        ("max_retries", "max_retries", "must be a whole number >= 0, got -1"),
        ("backoff_base", "retry.backoff_base", "must be a finite number >= 0, got -1"),
        ("backoff_max", "retry.backoff_max", "must be a finite number >= 0, got -1"),
        ("max_retry_after", "retry.max_retry_after", "must be a finite number >= 0, got -1"),
    ],
)
def test_negative_values_are_refused_zero_is_fine(field: str, argument: str, rule: str) -> None:
    assert getattr(RetryPolicy(**{field: 0}), field) == 0
    with pytest.raises(InputError) as info:
        RetryPolicy(**{field: -1})
    assert (info.value.argument, info.value.rule) == (argument, rule)


@pytest.mark.parametrize("value", ["3", 2.0, True, None])
def test_max_retries_is_an_int_or_a_policy(value: object) -> None:
    from oaii import Client

    with pytest.raises(InputError) as info:
        Client(api_key="sk-t", max_retries=value)  # type: ignore[arg-type]
    assert info.value.argument == "max_retries"
    assert info.value.rule == f"must be an int >= 0 or a RetryPolicy, got {value!r}"
