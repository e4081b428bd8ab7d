"""When to poll a feed next: from its interval, its own hints, Retry-After and its failures.

Pure: ``now`` is an argument. A feed's ttl or Cache-Control may only lengthen its interval;
a failing feed backs off linearly after three errors, up to a cap, and is never dropped.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

ERRORS_BEFORE_BACKOFF = 3
MAX_HINT_MINUTES = 24 * 60
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Read Retry-After as seconds (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def parse_max_age(cache_control: str | None) -> float | None:
    """Read max-age seconds from a Cache-Control header, if any."""
    match = _MAX_AGE.search(cache_control or "")
    return float(match.group(1)) if match else None


def effective_interval(
    configured_minutes: int, ttl_minutes: int | None = None, max_age_seconds: float | None = None
) -> int:
    """Lengthen (never shorten) the configured interval by the feed's own hints, capped."""
    hinted = max(ttl_minutes or 0, int((max_age_seconds or 0) // 60))
    return max(configured_minutes, min(hinted, MAX_HINT_MINUTES))


def backoff_minutes(interval_minutes: int, error_count: int, cap_minutes: int) -> int:
    """Wait after ``error_count`` consecutive errors: normal interval, then linear growth."""
    if error_count < ERRORS_BEFORE_BACKOFF:
        return interval_minutes
    steps = error_count - ERRORS_BEFORE_BACKOFF + 2
    return min(interval_minutes * steps, max(cap_minutes, interval_minutes))


def next_due(
    now: datetime,
    interval_minutes: int,
    error_count: int = 0,
    cap_minutes: int = MAX_HINT_MINUTES,
    retry_after_seconds: float | None = None,
) -> datetime:
    """Return when the feed should be polled again."""
    wait = timedelta(minutes=backoff_minutes(interval_minutes, error_count, cap_minutes))
    if retry_after_seconds is not None:
        wait = max(wait, timedelta(seconds=min(retry_after_seconds, cap_minutes * 60)))
    return now + wait
