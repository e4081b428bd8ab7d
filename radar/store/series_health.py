"""Each collected series source's health, where each term's stored series ends, and the
platform totals already known.

Written by `radar.series.collect` after every run of a source, read by `radar series health`
and the scheduler log. Kept apart from feed health because a source is not a feed: it has
many terms, a daily or hourly quota, and may be paused until a given time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from radar.store.db import transaction


@dataclass(frozen=True)
class SourceHealth:
    """One source's state after its last run (ISO times, UTC)."""

    source: str
    last_attempt_at: str | None = None
    last_success_at: str | None = None
    last_error: str | None = None
    error_count: int = 0
    resume_at: str | None = None
    quota_day: str | None = None
    quota_used: int = 0
    terms: int = 0
    points: int = 0
    term_errors: int = 0
    last_term_error: str | None = None

    @property
    def status(self) -> str:
        """``ok``, ``failing``, ``paused`` (quota spent, resumes later) or ``never run``."""
        if self.last_attempt_at is None:
            return "never run"
        if self.resume_at:
            return "paused"
        return "failing" if self.last_error else "ok"


_COLUMNS = tuple(SourceHealth.__dataclass_fields__)


def source_health(db: sqlite_utils.Database) -> dict[str, SourceHealth]:
    """Every source that has run, by id."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM series_health ORDER BY source"
    return {row[0]: SourceHealth(*row) for row in db.execute(sql)}


def record_health(db: sqlite_utils.Database, health: SourceHealth) -> None:
    """Replace a source's health row in one transaction."""
    values: dict[str, Any] = asdict(health)
    marks = ", ".join("?" for _ in _COLUMNS)
    with transaction(db):
        db.execute(
            f"INSERT OR REPLACE INTO series_health ({', '.join(_COLUMNS)}) VALUES ({marks})",
            [values[c] for c in _COLUMNS],
        )


def newest_periods(db: sqlite_utils.Database, source: str) -> dict[str, str]:
    """The newest stored period per term of one source: where the next update starts."""
    sql = "SELECT term, max(period) FROM series WHERE source = ? GROUP BY term"
    return {term: period for term, period in db.execute(sql, [source])}


def known_totals(db: sqlite_utils.Database, source: str, before: str) -> dict[str, float]:
    """The platform's total per period of one source, for periods ending before ``before``.

    Every term of a month shares its total, so a back-fill need not ask it again per run; the
    largest stored value is taken, since a total asked while its month was still going is
    smaller than the final one. Months ending on or after ``before`` are asked afresh.
    """
    sql = (
        "SELECT period, max(total) FROM series WHERE source = ? AND period_end < ?"
        " AND total IS NOT NULL GROUP BY period"
    )
    return {period: total for period, total in db.execute(sql, [source, before])}


def is_demo_store(db: sqlite_utils.Database) -> bool:
    """Whether the store holds the offline demo (its feeds all come from the demo)."""
    origins = {row[0] for row in db.execute("SELECT DISTINCT origin FROM feeds")}
    return "demo" in origins and origins <= {"demo"}
