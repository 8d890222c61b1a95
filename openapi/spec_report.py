"""Summarise what changed between two raw subsets (``subset.raw.yaml``)."""

from __future__ import annotations

from typing import Any


def report(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    return "change report: (todo)"
