"""Collect what a weekly digest says from the store: the radar, movers, items, questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from radar.classify.changes import last_change
from radar.classify.review import staff_queue, week_seed
from radar.classify.versions import current_version, read_metrics
from radar.staying.editions import week_end
from radar.staying.rings import RINGS
from radar.store.editions import load_edition
from radar.store.feeds import feed_health
from radar.store.weekly import parse_week_label
from radar.taxonomy.model import Taxonomy
from radar.timefmt import to_iso

TOP_ITEMS = 3
QUESTIONS = 5
STORY_ROOM = 4  # rows read per item shown, so stories told by several feeds still fill the list


@dataclass
class DigestData:
    """Everything one digest shows; composing it is pure."""

    week: str
    base_url: str
    taxonomy: Taxonomy  # names are written out in the reader's language when composing
    quadrants: list[dict[str, Any]] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)
    movers: list[dict[str, Any]] = field(default_factory=list)
    top_items: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    broken_feeds: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, Any] = field(default_factory=dict)


def one_per_story(rows: Sequence[Sequence[Any]], seen: set[int], limit: int) -> list[Any]:
    """The first ``limit`` rows whose story (last column) is not in ``seen``; marks them seen.

    The same news from two feeds is one story: it is listed once, by its best-scored item.
    """
    picked = []
    for row in rows:
        if len(picked) == limit:
            break
        if row[-1] not in seen:
            seen.add(row[-1])
            picked.append(row)
    return picked


def story_sources(db: sqlite_utils.Database, story: int) -> list[str]:
    """Every feed that carried a story (a negative id is an item with no story: none)."""
    rows = db.execute(
        "SELECT DISTINCT f.name FROM items i JOIN feeds f ON f.id = i.feed_id"
        " WHERE i.story_id = ? ORDER BY f.name",
        [story],
    ).fetchall()
    return [name for (name,) in rows]


def gather(
    db: sqlite_utils.Database, taxonomy: Taxonomy, week: str, base_url: str, models_dir: Path
) -> DigestData:
    """Read one week's digest material (the edition must exist)."""
    blips = load_edition(db, week)
    for blip in blips:
        blip["url"] = f"{base_url}/technology?tech={blip['tech_id']}&week={week}"
    data = DigestData(week=week, base_url=base_url, taxonomy=taxonomy)
    for quadrant in taxonomy.quadrants:
        rings = {ring: [b for b in blips if b["quadrant"] == quadrant.id and b["ring"] == ring]
                 for ring in RINGS}  # fmt: skip
        data.quadrants.append({"id": quadrant.id, "rings": rings})
    data.new = [b for b in blips if b["movement"] == "new"]
    data.movers = [b for b in blips if b["movement"] in ("moved in", "moved out")]
    end = week_end(parse_week_label(week))
    start = week_end(parse_week_label(week) - 1)
    seen: set[int] = set()  # a story once in the whole digest, whichever feed or quadrant
    for quadrant in taxonomy.quadrants:
        rows = db.execute(
            "SELECT i.id, i.title, i.link, f.name, i.published_at, s.relevance,"
            " coalesce(i.story_id, -i.id) FROM items i"
            " JOIN scores s ON s.item_id = i.id JOIN feeds f ON f.id = i.feed_id"
            " WHERE s.quadrant = ? AND i.published_at > ? AND i.published_at <= ?"
            " ORDER BY s.relevance DESC, i.published_at DESC, i.id LIMIT ?",
            [quadrant.id, to_iso(start), to_iso(end), TOP_ITEMS * STORY_ROOM],
        ).fetchall()
        picked = one_per_story(rows, seen, TOP_ITEMS)
        data.top_items.append({
            "id": quadrant.id,
            "items": [{"title": r[1], "link": r[2], "published": r[4][:10],
                       "source": ", ".join(story_sources(db, r[6]) or [r[3]])}
                      for r in picked],
        })  # fmt: skip
    for row in staff_queue(db, taxonomy, seed=week_seed(week))[:QUESTIONS]:
        row["url"] = f"{base_url}/tagging?item={row['id']}"
        data.questions.append(row)
    data.broken_feeds = [r for r in feed_health(db) if r["error_count"] and r["enabled"]]
    version = current_version(models_dir)
    data.model = {"version": version or "rules"}
    change = last_change(models_dir)
    if change and version and change.get("version") == version:
        data.model["changed"] = {"at": str(change["at"])[:10], "reason": change["reason"]}
    if version:
        metrics = read_metrics(models_dir, version)
        data.model.update(basis=metrics.get("basis"), overall=metrics.get("overall", {}))
    return data
