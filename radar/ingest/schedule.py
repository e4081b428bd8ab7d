"""When to poll a feed next: from its interval, its own hints, Retry-After and its failures.

Pure: ``now`` is an argument. A feed's ttl or Cache-Control may only lengthen its interval;
a failing feed backs off linearly after three errors, up to a cap, and is never dropped.
Header and ttl values come from the feed's server, so every reader here is total and clamps:
``max-age=`` followed by 400 nines is a day, not infinity.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

ERRORS_BEFORE_BACKOFF = 3
MAX_HINT_MINUTES = 24 * 60
MAX_HINT_SECONDS = MAX_HINT_MINUTES * 60  # no server hint can delay a feed by more than this
_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.IGNORECASE | re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
_MAX_DIGITS = 12  # longer numbers are beyond every cap; not worth converting


def _bounded_seconds(digits: str, cap: float) -> float:
    """ASCII digits as seconds in [0, cap]: huge values are clamped, not overflowed."""
    return float(cap) if len(digits.lstrip("0")) > _MAX_DIGITS else min(float(int(digits)), cap)


def parse_retry_after(
    value: str | None, now: datetime, cap_seconds: float = MAX_HINT_SECONDS
) -> float | None:
    """Read Retry-After as seconds in [0, cap] (a number or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value):
        return _bounded_seconds(value, cap_seconds)
    try:
        when = parsedate_to_datetime(value)
        wait = (when - now).total_seconds()
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return min(max(0.0, wait), cap_seconds)


def parse_max_age(cache_control: str | None) -> float | None:
    """Read max-age seconds from a Cache-Control header, clamped to MAX_HINT_SECONDS."""
    match = _MAX_AGE.search(cache_control or "")
    return _bounded_seconds(match.group(1), MAX_HINT_SECONDS) if match else None


def parse_ttl(value: object) -> int | None:
    """Read an RSS ``<ttl>`` (minutes) clamped to MAX_HINT_MINUTES; None if not a number."""
    text = str(value or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    return int(_bounded_seconds(text, MAX_HINT_MINUTES))


def effective_interval(
    configured_minutes: int, ttl_minutes: int | None = None, max_age_seconds: float | None = None
) -> int:
    """Lengthen (never shorten) the configured interval by the feed's own hints, capped."""
    age = 0.0 if max_age_seconds is None or math.isnan(max_age_seconds) else max_age_seconds
    hinted = max(ttl_minutes or 0, int(min(max(age, 0.0), MAX_HINT_SECONDS) // 60))
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
