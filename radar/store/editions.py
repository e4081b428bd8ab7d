"""Stored weekly editions of the radar and staff overrides (human decisions win)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlite_utils

from radar.store.db import transaction
from radar.timefmt import to_iso


def save_edition(
    db: sqlite_utils.Database, week: str, blips: Iterable[dict[str, Any]], now: datetime
) -> None:
    """Replace one week's edition with these blips."""
    rows = [
        (week, b["tech_id"], b["quadrant"], b["ring"], b["score"], b["movement"], int(b["human"]),
         json.dumps(b["reasons"], ensure_ascii=False), json.dumps(b["evidence"]), to_iso(now))
        for b in blips
    ]  # fmt: skip
    with transaction(db):
        db.execute("DELETE FROM editions WHERE week = ?", [week])
        db.conn.executemany(
            "INSERT INTO editions (week, tech_id, quadrant, ring, score, movement, human,"
            " reasons, evidence, built_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )


def load_edition(db: sqlite_utils.Database, week: str) -> list[dict[str, Any]]:
    """One stored edition, Adopt first then by score."""
    rows = list(
        db.query(
            "SELECT * FROM editions WHERE week = ? ORDER BY CASE ring WHEN 'adopt' THEN 0"
            " WHEN 'trial' THEN 1 WHEN 'assess' THEN 2 ELSE 3 END, score DESC, tech_id",
            [week],
        )
    )
    for row in rows:
        row["reasons"] = json.loads(row["reasons"])
        row["evidence"] = json.loads(row["evidence"])
        row["human"] = bool(row["human"])
    return rows


def edition_weeks(db: sqlite_utils.Database) -> list[str]:
    """Every stored edition's week, newest first."""
    return [r[0] for r in db.execute("SELECT DISTINCT week FROM editions ORDER BY week DESC")]


def ring_history(db: sqlite_utils.Database, tech_id: str) -> list[dict[str, Any]]:
    """A technology's ring and score in every edition that placed it, oldest first."""
    rows = list(
        db.query(
            "SELECT week, ring, score, movement, human FROM editions WHERE tech_id = ?"
            " ORDER BY week",
            [tech_id],
        )
    )
    for row in rows:
        row["human"] = bool(row["human"])
    return rows


def previous_rings(db: sqlite_utils.Database, week: str) -> dict[str, str]:
    """Rings of the latest edition before ``week`` (for movement)."""
    row = db.execute("SELECT max(week) FROM editions WHERE week < ?", [week]).fetchone()
    if not row or row[0] is None:
        return {}
    return dict(db.execute("SELECT tech_id, ring FROM editions WHERE week = ?", [row[0]]))


def add_override(
    db: sqlite_utils.Database, tech_id: str, ring: str, comment: str, by: str, week: str,
    now: datetime,
) -> None:  # fmt: skip
    """Record a staff decision; it applies from ``week`` on and wins over the model."""
    db.execute(
        "INSERT INTO overrides (tech_id, ring, comment, decided_by, decided_at, week)"
        " VALUES (?,?,?,?,?,?)",
        [tech_id, ring, comment, by, to_iso(now), week],
    )


def overrides_at(db: sqlite_utils.Database, week: str) -> dict[str, dict[str, Any]]:
    """The latest override per technology made for ``week`` or earlier."""
    rows = list(db.query("SELECT * FROM overrides WHERE week <= ? ORDER BY week, id", [week]))
    return {row["tech_id"]: row for row in rows}


def evidence_items(
    db: sqlite_utils.Database, tech_id: str, since: str, until: str, limit: int = 5
) -> list[int]:
    """Recent items behind a placement, adoption news first."""
    return [
        r[0]
        for r in db.execute(
            "SELECT i.id FROM mentions m JOIN items i ON i.id = m.item_id WHERE m.tech_id = ?"
            " AND i.published_at BETWEEN ? AND ? ORDER BY i.tone DESC, i.published_at DESC"
            " LIMIT ?",
            [tech_id, since, until, limit],
        )
    ]


def ring_counts(db: sqlite_utils.Database) -> list[tuple[str, str, int]]:
    """(week, ring, blips) for every stored edition, oldest first."""
    return [
        (row[0], row[1], int(row[2]))
        for row in db.execute(
            "SELECT week, ring, count(*) FROM editions GROUP BY week, ring ORDER BY week"
        )
    ]


def published_scores(
    db: sqlite_utils.Database, weeks: Iterable[str]
) -> list[tuple[str, str, float]]:
    """(week, tech, score) as published in these editions, staff decisions left out.

    A staff override is a person's judgment, not the model's, so it is not the model's
    track record.
    """
    found: list[tuple[str, str, float]] = []
    for week in weeks:
        found.extend(
            (week, row[0], float(row[1]))
            for row in db.execute(
                "SELECT tech_id, score FROM editions WHERE week = ? AND human = 0", [week]
            )
        )
    return found
