"""Which digest went to whom: each (week, recipient) is sent at most once."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from radar.store.db import transaction
from radar.timefmt import to_iso


def was_sent(db: sqlite_utils.Database, week: str, recipient: str) -> bool:
    """Say whether this week's digest already reached this recipient."""
    row = db.execute(
        "SELECT status FROM digest_sends WHERE week = ? AND recipient = ?", [week, recipient]
    ).fetchone()
    return bool(row and row[0] == "sent")


def record_send(
    db: sqlite_utils.Database, week: str, recipient: str, status: str, attempts: int,
    error: str | None, now: datetime,
) -> None:  # fmt: skip
    """Record the outcome of sending (status 'sent' or 'failed'), adding up attempts."""
    with transaction(db):
        db.execute(
            "INSERT INTO digest_sends (week, recipient, status, attempts, last_error, updated_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT (week, recipient) DO UPDATE SET"
            " status = excluded.status, attempts = digest_sends.attempts + excluded.attempts,"
            " last_error = excluded.last_error, updated_at = excluded.updated_at",
            [week, recipient, status, attempts, error, to_iso(now)],
        )
