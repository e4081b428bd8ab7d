"""Adoption and attention series in the store: written idempotently, read per term and date.

A point is keyed by (source, term, period), so importing a file twice or collecting a month
again replaces a value rather than adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from radar.records import SeriesPoint
from radar.store.db import transaction

_UPSERT = (
    "INSERT INTO series (source, term, period, period_end, count, total, share)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (source, term, period) DO UPDATE SET period_end = excluded.period_end,"
    " count = excluded.count, total = excluded.total, share = excluded.share"
)


@dataclass(frozen=True)
class SourceSummary:
    """What the store holds of one series source, for `radar series` and the app."""

    source: str
    terms: int
    points: int
    first_period_end: str
    last_period_end: str


def upsert_points(db: sqlite_utils.Database, points: Iterable[SeriesPoint]) -> int:
    """Store points in one transaction (a value already there is replaced); return how many."""
    rows = [(p.source, p.term, p.period, p.period_end, p.count, p.total, p.share) for p in points]
    with transaction(db):
        db.conn.executemany(_UPSERT, rows)
    return len(rows)


def count_points(db: sqlite_utils.Database) -> int:
    """How many points the store holds (an import reports how many of its points were new)."""
    return int(db.execute("SELECT count(*) FROM series").fetchone()[0])


def stored_terms(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Every (source, term) pair the store has values for, sorted."""
    return [
        (row[0], row[1])
        for row in db.execute("SELECT DISTINCT source, term FROM series ORDER BY source, term")
    ]


def points_for(
    db: sqlite_utils.Database,
    pairs: Iterable[tuple[str, str]],
    *,
    until: str | None = None,
) -> list[SeriesPoint]:
    """The points of these (source, term) pairs, oldest first; only periods over by ``until``.

    ``until`` is an ISO date: a period ending after it is left out, so a judgment made at a date
    sees only what was known then.
    """
    wanted = sorted(set(pairs))
    if not wanted:
        return []
    found: list[SeriesPoint] = []
    sql = (
        "SELECT source, term, period, period_end, count, total, share FROM series"
        " WHERE source = ? AND term = ?"
        + (" AND period_end <= ?" if until else "")
        + " ORDER BY period_end"
    )
    for source, term in wanted:
        args = [source, term, until] if until else [source, term]
        found.extend(SeriesPoint(*row) for row in db.execute(sql, args))
    return found


def source_summaries(db: sqlite_utils.Database) -> list[SourceSummary]:
    """One line per source: how many terms and points, and the span they cover."""
    return [
        SourceSummary(*row)
        for row in db.execute(
            "SELECT source, count(DISTINCT term), count(*), min(period_end), max(period_end)"
            " FROM series GROUP BY source ORDER BY source"
        )
    ]


@dataclass(frozen=True)
class TermSummary:
    """What the store holds of one term of one source: how many points, and their span."""

    source: str
    term: str
    points: int
    first_period_end: str
    last_period_end: str


def term_summaries(db: sqlite_utils.Database, source: str | None = None) -> list[TermSummary]:
    """One line per (source, term), sorted; only ``source``'s terms when given."""
    sql = (
        "SELECT source, term, count(*), min(period_end), max(period_end) FROM series"
        + (" WHERE source = ?" if source else "")
        + " GROUP BY source, term ORDER BY source, term"
    )
    return [TermSummary(*row) for row in db.execute(sql, [source] if source else [])]
