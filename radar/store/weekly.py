"""Weekly mention counts per technology, the raw material of staying-power signals.

Weeks are Monday-based in Japan time (Asia/Tokyo is UTC+9 all year), numbered from the week
of 2000-01-03, so SQLite can bucket a million items without Python touching each row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import sqlite_utils

from radar.timefmt import to_iso

EPOCH_MONDAY = date(2000, 1, 3)
JST = timezone(timedelta(hours=9))
_WEEK_SQL = "CAST((julianday(i.published_at) + 0.375 - 2451546.5) / 7 AS INTEGER)"
# 2451546.5 is julianday('2000-01-03'); +0.375 days shifts UTC to Japan time.


def week_of(moment: datetime) -> int:
    """Week number (Monday-based, Japan time) of an aware datetime."""
    return (moment.astimezone(JST).date() - EPOCH_MONDAY).days // 7


def week_monday(week: int) -> date:
    """The Monday that opens a week number."""
    return EPOCH_MONDAY + timedelta(weeks=week)


def week_label(week: int) -> str:
    """ISO label such as 2023-W07 for a week number."""
    year, number, _ = week_monday(week).isocalendar()
    return f"{year}-W{number:02d}"


def parse_week_label(label: str) -> int:
    """Week number of an ISO label such as 2023-W07."""
    monday = date.fromisocalendar(int(label[:4]), int(label.split("W")[1]), 1)
    return (monday - EPOCH_MONDAY).days // 7


@dataclass(frozen=True)
class WeeklyData:
    """Mentions per (tech, week, feed) with tone and scores, plus per-feed weekly volume.

    A mention row is (tech, week, feed, lang, items, adoption items, hype items, summed
    relevance, summed text staying score); an item the text model has not scored counts 0.5.
    """

    mentions: list[tuple[str, int, str, str, int, int, int, float, float]]
    stories: dict[tuple[str, int], int]
    volume: dict[tuple[int, str], int]
    first_week: dict[str, int]


def load_weekly(db: sqlite_utils.Database, until: datetime | None = None) -> WeeklyData:
    """Aggregate the store by week; ``until`` keeps only items published up to then."""
    where = " WHERE i.published_at <= ?" if until else ""
    params = [to_iso(until)] if until else []
    mentions = db.execute(
        f"SELECT m.tech_id, {_WEEK_SQL} AS week, i.feed_id, i.lang, count(*),"
        " sum(i.tone > 0), sum(i.tone < 0), coalesce(sum(s.relevance), 0),"
        " sum(coalesce(s.staying, 0.5))"
        " FROM mentions m JOIN items i ON i.id = m.item_id"
        " LEFT JOIN scores s ON s.item_id = i.id" + where + " GROUP BY 1, 2, 3, 4",
        params,
    ).fetchall()
    stories = db.execute(
        f"SELECT m.tech_id, {_WEEK_SQL} AS week, count(DISTINCT i.story_id)"
        " FROM mentions m JOIN items i ON i.id = m.item_id" + where + " GROUP BY 1, 2",
        params,
    ).fetchall()
    volume = db.execute(
        f"SELECT {_WEEK_SQL} AS week, i.feed_id, count(*) FROM items i" + where + " GROUP BY 1, 2",
        params,
    ).fetchall()
    first: dict[str, int] = {}
    for tech, week, *_ in mentions:
        first[tech] = min(first.get(tech, week), week)
    return WeeklyData(
        mentions=[tuple(row) for row in mentions],  # type: ignore[misc]
        stories={(t, w): n for t, w, n in stories},
        volume={(w, f): n for w, f, n in volume},
        first_week=first,
    )
