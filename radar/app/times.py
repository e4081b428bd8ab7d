"""Every time the app shows: in ``general.timezone`` (default Asia/Tokyo), with its label.

The store keeps UTC; staff read office time. Pages call :func:`shown` and never slice ISO
strings themselves, so a decision made at 00:28 JST never shows as 15:28 the day before.
"""

from __future__ import annotations

from datetime import UTC, datetime

from radar.app import data
from radar.timefmt import local_label

VERSION_FORMAT = "%Y%m%d-%H%M%S"
"""Model versions are named after their UTC training time (radar.classify.registry)."""


def shown(value: str | datetime | None) -> str:
    """A stored UTC time as ``2024-01-05 09:28 JST`` in the configured zone; "—" if none."""
    return local_label(value, data.settings().tz)


def version_time(version: str) -> datetime | None:
    """When a model version was trained, read from its name (None for other names)."""
    try:
        return datetime.strptime(version, VERSION_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
