"""The pytest plugin's former home, kept for ``-p oaii.server.pytest_plugin`` and
``pytest_plugins = [...]`` lines: the plugin is ``oaii.pytest_plugin`` (entry point
``pytest11``, name ``oaii``), which imports the server only when its fixture is used."""

from oaii.pytest_plugin import oaii_server, pytest_configure

__all__ = ["oaii_server", "pytest_configure"]
