"""When a feed is polled next: backoff after errors, Retry-After, hints that only lengthen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from radar.ingest.schedule import (
    backoff_minutes,
    effective_interval,
    next_due,
    parse_max_age,
    parse_retry_after,
)
from tests.conftest import FIXED_NOW


@pytest.mark.parametrize(
    ("errors", "minutes"), [(0, 60), (1, 60), (2, 60), (3, 120), (4, 180), (5, 240), (40, 1440)]
)
def test_failing_feeds_back_off_linearly_after_three_errors_up_to_a_cap(
    errors: int, minutes: int
) -> None:
    assert backoff_minutes(60, errors, cap_minutes=1440) == minutes


def test_retry_after_wins_when_longer() -> None:
    assert next_due(FIXED_NOW, 60, 0, 1440, retry_after_seconds=7200) == FIXED_NOW + timedelta(
        hours=2
    )
    assert next_due(FIXED_NOW, 60, 0, 1440, retry_after_seconds=10) == FIXED_NOW + timedelta(
        hours=1
    )


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("120", FIXED_NOW) == 120.0
    later = (FIXED_NOW + timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, FIXED_NOW) == 300.0
    assert parse_retry_after("soon", FIXED_NOW) is None


def test_feed_hints_only_lengthen_the_interval() -> None:
    assert effective_interval(60, ttl_minutes=5) == 60
    assert effective_interval(60, ttl_minutes=180) == 180
    assert effective_interval(60, max_age_seconds=parse_max_age("public, max-age=7200")) == 120
    assert effective_interval(60, ttl_minutes=100_000) == 1440  # capped at a day
