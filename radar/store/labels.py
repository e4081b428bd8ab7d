"""Staff tags on items: who said what, when. Re-tagging replaces; tags survive retraining."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from radar.errors import RadarError
from radar.store.db import transaction
from radar.timefmt import to_iso

STAYING = ("fad", "standard", "unsure")


class TagError(RadarError):
    """A tag names an unknown item, quadrant or value."""


def set_tag(
    db: sqlite_utils.Database,
    item_id: int,
    *,
    by: str,
    now: datetime,
    quadrant: str | None = None,
    staying: str | None = None,
    relevant: bool | None = None,
    quadrants: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Record (or replace) a staff tag; fields left out keep their earlier value."""
    if db.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone() is None:
        raise TagError(f"tag: no item with id {item_id}")
    if quadrant is not None and quadrants and quadrant not in quadrants:
        raise TagError(f"tag: quadrant {quadrant!r} is not one of {', '.join(quadrants)}")
    if staying is not None and staying not in STAYING:
        raise TagError(f"tag: staying must be one of {', '.join(STAYING)}")
    if not by.strip():
        raise TagError("tag: say who is tagging (--by NAME)")
    old = get_tag(db, item_id) or {}
    row = {
        "item_id": item_id,
        "quadrant": quadrant if quadrant is not None else old.get("quadrant"),
        "staying": staying if staying is not None else old.get("staying"),
        "relevant": int(relevant) if relevant is not None else old.get("relevant"),
        "tagged_by": by.strip(),
        "tagged_at": to_iso(now),
    }
    with transaction(db):
        db["tags"].upsert(row, pk="item_id")
        # Stale now: the next scoring pass shows the staff decision on this item.
        db["scores"].delete_where("item_id = ?", [item_id])
    return row


def get_tag(db: sqlite_utils.Database, item_id: int) -> dict[str, Any] | None:
    """The current tag of one item, if any."""
    return next(db["tags"].rows_where("item_id = ?", [item_id]), None)


def remove_tag(db: sqlite_utils.Database, item_id: int) -> None:
    """Undo: forget an item's tag."""
    db["tags"].delete_where("item_id = ?", [item_id])


def training_rows(
    db: sqlite_utils.Database,
    *,
    tagged_only: bool = False,
    unscored_by: str | None = None,
    since: str | None = None,
) -> list[dict[str, Any]]:
    """Items with their mentioned techs and staff tag, oldest first.

    ``tagged_only`` keeps tagged items (evaluation); ``unscored_by`` keeps items that model
    has not scored yet (incremental scoring); ``since`` keeps items published from then on.
    """
    where, params = [], []
    if tagged_only:
        where.append("t.item_id IS NOT NULL")
    if unscored_by is not None:
        where.append("NOT EXISTS (SELECT 1 FROM scores s WHERE s.item_id = i.id AND s.model = ?)")
        params.append(unscored_by)
    if since is not None:
        where.append("i.published_at >= ?")
        params.append(since)
    rows = list(
        db.query(
            "SELECT i.id, i.title, i.summary_text, i.lang, i.published_at AS published,"
            " (SELECT group_concat(m.tech_id, ' ') FROM mentions m WHERE m.item_id = i.id)"
            " AS techs,"
            " t.quadrant AS tag_quadrant, t.relevant AS tag_relevant, t.staying AS tag_staying"
            " FROM items i LEFT JOIN tags t ON t.item_id = i.id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY i.published_at, i.id",
            params,
        )
    )
    for row in rows:
        row["techs"] = (row["techs"] or "").split()
    return rows


def write_scores(
    db: sqlite_utils.Database,
    model: str,
    scores: list[tuple[int, str | None, float, float, float | None, str | None]],
    now: datetime,
) -> None:
    """Replace the scores of the given items.

    Each is (item_id, quadrant, confidence, relevance, staying, model quadrant): staying is
    the text model's P(standard), None when nothing in the text speaks either way; the model
    quadrant is the model's own guess (None before any training), beside the stored one.
    """
    stamp = to_iso(now)
    with transaction(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO scores (item_id, model, quadrant, quadrant_confidence,"
            " relevance, staying, model_quadrant, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(i, model, q, c, r, st, mq, stamp) for i, q, c, r, st, mq in scores],
        )


VERDICTS = {"standard": 1, "fad": 0}
STAFF_SOURCE = "staff:"  # tech_labels.source prefix of a staff verdict (the rest is who)


def set_tech_verdict(
    db: sqlite_utils.Database, tech_id: str, verdict: str, by: str, now: datetime
) -> None:
    """Record a staff verdict on a whole technology: it will be a standard, or it is a fad.

    Verdicts are kept with who and when (a later one wins), so a back-test only uses those
    staff could have given by its date.
    """
    if verdict not in VERDICTS:
        raise TagError(f"verdict must be one of {', '.join(VERDICTS)}")
    if not by.strip():
        raise TagError("verdict: say who decides (--by NAME)")
    db["tech_labels"].insert(
        {"tech_id": tech_id, "label": VERDICTS[verdict], "source": STAFF_SOURCE + by.strip(),
         "as_of": to_iso(now)},
        replace=True,
    )  # fmt: skip


def staff_tech_labels(db: sqlite_utils.Database) -> dict[str, tuple[int, str]]:
    """Staff verdicts per technology: (1 standard / 0 fad, when).

    A verdict on the technology itself wins (the latest one); otherwise the majority of the
    fad/standard tags on its items decides ('unsure' does not vote), dated by the latest tag,
    so a back-test only uses verdicts staff could have given by then.
    """
    rows = db.execute(
        "SELECT m.tech_id, sum(t.staying = 'standard'), sum(t.staying = 'fad'),"
        " max(t.tagged_at) FROM tags t JOIN mentions m ON m.item_id = t.item_id"
        " WHERE t.staying IN ('standard', 'fad') GROUP BY m.tech_id"
    ).fetchall()
    labels = {
        tech: (int(standard > fad), when) for tech, standard, fad, when in rows if standard != fad
    }
    direct = db.execute(
        "SELECT tech_id, label, as_of FROM tech_labels WHERE source LIKE ? ORDER BY as_of",
        [STAFF_SOURCE + "%"],
    ).fetchall()
    labels.update({tech: (int(label), when) for tech, label, when in direct})
    return labels


def tech_verdict(db: sqlite_utils.Database, tech_id: str) -> dict[str, Any] | None:
    """The latest staff verdict on a technology, if any: verdict, by, at."""
    row = db.execute(
        "SELECT label, source, as_of FROM tech_labels WHERE tech_id = ? AND source LIKE ?"
        " ORDER BY as_of DESC LIMIT 1",
        [tech_id, STAFF_SOURCE + "%"],
    ).fetchone()
    if row is None:
        return None
    verdict = next(name for name, value in VERDICTS.items() if value == row[0])
    return {"verdict": verdict, "by": row[1][len(STAFF_SOURCE) :], "at": row[2]}


def staying_tags_after(db: sqlite_utils.Database, moment: datetime) -> int:
    """How many fad/standard tags staff made after ``moment`` (unknowable before it)."""
    row = db.execute(
        "SELECT count(*) FROM tags WHERE staying IN ('standard', 'fad') AND tagged_at > ?",
        [to_iso(moment)],
    ).fetchone()
    return int(row[0])


def tags_after(db: sqlite_utils.Database, moment: datetime | None) -> int:
    """How many items staff tagged (or re-tagged) after ``moment`` (all of them for None)."""
    if moment is None:
        return int(db.execute("SELECT count(*) FROM tags").fetchone()[0])
    row = db.execute("SELECT count(*) FROM tags WHERE tagged_at > ?", [to_iso(moment)])
    return int(row.fetchone()[0])
