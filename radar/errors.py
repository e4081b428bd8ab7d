"""The RadarError tree: every failure the product reports in plain words.

    RadarError
    ├── ConfigError   bad feeds.yaml / environment; nothing runs half-configured
    ├── FetchError    one feed could not be downloaded (recorded, run goes on)
    │   └── BlockedAddressError  the URL leads to a private or loopback address
    ├── ParseError    the bytes are not a usable feed (recorded, run goes on)
    ├── StoreError    the database cannot be opened or migrated
    ├── SearchError   a search is too long or has too many terms (the message says the limit)
    ├── ModelError    a model version is missing, unreadable or holds untrusted types
    │   └── CorruptModelError  one named model file cannot be read (scoring falls back to rules)
    └── SendError     the digest could not be delivered (recorded, retried next run)

Messages start with the stage ("fetch: ...") so a user can tell where it broke.
"""

from __future__ import annotations


class RadarError(Exception):
    """Base class: callers that must keep going catch this, never bare Exception."""


class ConfigError(RadarError):
    """Configuration is invalid; the message names the file, the feed and the field."""


class FetchError(RadarError):
    """A feed could not be fetched; carries the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BlockedAddressError(FetchError):
    """The URL (or a redirect) points to a loopback or private network address."""


class ParseError(RadarError):
    """The response is not a feed feedparser can read entries from."""


class StoreError(RadarError):
    """The database cannot be opened, migrated or written."""


class SearchError(RadarError):
    """A search cannot run as given (too many terms, too long); the message states the limit."""


class ModelError(RadarError):
    """A model version is missing, or a file in it holds types we do not trust."""


class CorruptModelError(ModelError):
    """One file of a model version cannot be read; ``path`` names it.

    Scoring falls back to the weak rules and training builds a replacement, so a damaged
    model folder never stops fetching or training.
    """

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class SendError(RadarError):
    """The SMTP server refused or could not be reached."""
