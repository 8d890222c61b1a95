"""Derived from the vendored spec by openapi/subset.py: the request schema and its compiled validator."""
