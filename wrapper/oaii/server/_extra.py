"""What the local server needs beyond the client: the ``server`` extra.

``pip install oaii`` installs the client alone; ``pip install 'oaii[server]'`` adds what
only the server imports.  ``oaii.server`` imports this module before anything else, and
importing it checks: a missing extra is one sentence saying what to install, not an
ImportError from deep inside.
"""

from __future__ import annotations

import importlib
import sys

# Imported by oaii.server and by nothing the client imports (tests/server/test_packaging.py
# checks both halves of that).
SERVER_ONLY = ("jsonschema_rs",)

HINT = "oaii's local server needs the 'server' extra: pip install 'oaii[server]'"


class ServerExtraMissing(ImportError):
    """The ``server`` extra is not installed (``.missing`` names the modules)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"{HINT} (missing: {', '.join(missing)})", name=missing[0])
        self.missing = missing


def require() -> None:
    """Raise ``ServerExtraMissing`` unless the server's own dependencies import.

    Under ``python -m oaii.server`` the package is imported while Python is still
    looking for its ``__main__`` (``sys.argv[0]`` is ``'-m'`` then), before any code of
    ours could catch the error: there, print the sentence and exit 2, as the CLI does.
    """
    missing = []
    for name in SERVER_ONLY:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if not missing:
        return
    error = ServerExtraMissing(missing)
    if sys.argv[:1] == ["-m"]:
        print(f"oaii: error: {error}", file=sys.stderr)
        raise SystemExit(2)
    raise error


require()
