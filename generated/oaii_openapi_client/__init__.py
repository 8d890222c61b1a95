
""" A client library for accessing OpenAI Assistants API: create a run (subset) """
from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
