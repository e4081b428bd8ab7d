"""Link stored items to the technologies they mention, and re-link when the taxonomy changes.

Each item remembers the taxonomy fingerprint it was linked with (``items.link_key``); items
whose key differs are linked again, so adding a technology re-links the past automatically.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlite_utils

from radar.store.db import transaction

BATCH = 5000


def pending_links(db: sqlite_utils.Database, link_key: str) -> int:
    """Count items not yet linked with this taxonomy."""
    return int(
        db.execute(
            "SELECT count(*) FROM items WHERE link_key IS NULL OR link_key != ?", [link_key]
        ).fetchone()[0]
    )


def link_items(
    db: sqlite_utils.Database,
    find: Callable[[str], list[str]],
    link_key: str,
    progress: Callable[[int], None] | None = None,
    tone: Callable[[str], int] | None = None,
) -> int:
    """Link every item whose link key differs; return how many items were (re)linked.

    ``tone`` (adoption +1, hype -1, neither 0) is stored in the same pass, since both read
    the same text.
    """
    done = 0
    while True:
        rows = db.execute(
            "SELECT id, title, summary_text FROM items"
            " WHERE link_key IS NULL OR link_key != ? LIMIT ?",
            [link_key, BATCH],
        ).fetchall()
        if not rows:
            return done
        pairs: list[tuple[int, str]] = []
        tones: list[tuple[int, int]] = []
        for item_id, title, summary in rows:
            text = f"{title}\n{summary[:400]}"
            pairs.extend((item_id, tech) for tech in find(text))
            if tone is not None:
                tones.append((tone(text), item_id))
        ids = [(row[0],) for row in rows]
        with transaction(db):
            db.conn.executemany("DELETE FROM mentions WHERE item_id = ?", ids)
            db.conn.executemany("INSERT INTO mentions (item_id, tech_id) VALUES (?, ?)", pairs)
            db.conn.executemany(
                "UPDATE items SET link_key = ? WHERE id = ?", [(link_key, i) for (i,) in ids]
            )
            db.conn.executemany("UPDATE items SET tone = ? WHERE id = ?", tones)
        done += len(rows)
        if progress:
            progress(len(rows))


def techs_by_item(db: sqlite_utils.Database, item_ids: list[int]) -> dict[int, list[str]]:
    """Tech ids mentioned by each of the given items."""
    found: dict[int, list[str]] = {i: [] for i in item_ids}
    for start in range(0, len(item_ids), 900):
        chunk = item_ids[start : start + 900]
        marks = ", ".join("?" * len(chunk))
        for item_id, tech in db.execute(
            f"SELECT item_id, tech_id FROM mentions WHERE item_id IN ({marks}) ORDER BY tech_id",
            chunk,
        ):
            found[item_id].append(tech)
    return found


def mention_counts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Items per technology, most mentioned first."""
    cursor = db.execute(
        "SELECT tech_id, count(*) AS items FROM mentions GROUP BY tech_id ORDER BY items DESC"
    )
    return [{"tech_id": t, "items": n} for t, n in cursor.fetchall()]
