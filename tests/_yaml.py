"""YAML for the tests through libyaml where PyYAML has it: the pure-Python loader and
dumper cost about a second per pass over the raw subset, and these tests make many passes.
What the tests write is input for subset.py (which reads any YAML), so its layout is free."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str | bytes) -> Any:
    return yaml.load(text, Loader=_LOADER)


def dump_yaml(data: Any, **options: Any) -> str:
    text: str = yaml.dump(data, Dumper=_DUMPER, **options)
    return text
