"""The RadarError tree: every failure the product reports in plain words.

    RadarError
    ├── ConfigError   bad feeds.yaml / environment; nothing runs half-configured
    ├── FetchError    one feed could not be downloaded (recorded, run goes on)
    │   └── BlockedAddressError  the URL leads to a private or loopback address
    ├── ParseError    the bytes are not a usable feed (recorded, run goes on)
    ├── StoreError    the database cannot be opened or migrated
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


class SendError(RadarError):
    """The SMTP server refused or could not be reached."""
