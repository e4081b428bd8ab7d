"""Collect what a weekly digest says from the store: the radar, movers, items, questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from radar.classify.registry import current_version, read_metrics
from radar.classify.review import staff_queue, week_seed
from radar.staying.editions import week_end
from radar.staying.kind_labels import ring_suffix
from radar.staying.rings import RINGS
from radar.store.editions import load_edition
from radar.store.feeds import feed_health
from radar.store.weekly import parse_week_label
from radar.taxonomy.model import Taxonomy
from radar.timefmt import to_iso

TOP_ITEMS = 3
QUESTIONS = 5


@dataclass
class DigestData:
    """Everything one digest shows; composing it is pure."""

    week: str
    base_url: str
    quadrants: list[dict[str, Any]] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)
    movers: list[dict[str, Any]] = field(default_factory=list)
    top_items: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    broken_feeds: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, Any] = field(default_factory=dict)


def gather(
    db: sqlite_utils.Database, taxonomy: Taxonomy, week: str, base_url: str, models_dir: Path
) -> DigestData:
    """Read one week's digest material (the edition must exist)."""
    blips = load_edition(db, week)
    for blip in blips:
        tech = taxonomy.tech(blip["tech_id"]) if blip["tech_id"] in taxonomy else None
        blip["name_en"] = tech.name_en if tech else blip["tech_id"]
        blip["name_ja"] = tech.name_ja if tech else blip["tech_id"]
        blip["url"] = f"{base_url}/technology?tech={blip['tech_id']}&week={week}"
        for lang in ("ja", "en"):  # a threat, a policy or thin evidence says so by its name
            blip[f"name_{lang}"] += ring_suffix(blip, lang)
    data = DigestData(week=week, base_url=base_url)
    for quadrant in taxonomy.quadrants:
        rings = {ring: [b for b in blips if b["quadrant"] == quadrant.id and b["ring"] == ring]
                 for ring in RINGS}  # fmt: skip
        data.quadrants.append({"id": quadrant.id, "name_en": quadrant.name_en,
                               "name_ja": quadrant.name_ja, "rings": rings})  # fmt: skip
    data.new = [b for b in blips if b["movement"] == "new"]
    data.movers = [b for b in blips if b["movement"] in ("moved in", "moved out")]
    end = week_end(parse_week_label(week))
    start = week_end(parse_week_label(week) - 1)
    for quadrant in taxonomy.quadrants:
        rows = db.execute(
            "SELECT i.id, i.title, i.link, f.name, i.published_at, s.relevance FROM items i"
            " JOIN scores s ON s.item_id = i.id JOIN feeds f ON f.id = i.feed_id"
            " WHERE s.quadrant = ? AND i.published_at > ? AND i.published_at <= ?"
            " ORDER BY s.relevance DESC, i.published_at DESC LIMIT ?",
            [quadrant.id, to_iso(start), to_iso(end), TOP_ITEMS],
        ).fetchall()
        data.top_items.append({
            "quadrant_en": quadrant.name_en, "quadrant_ja": quadrant.name_ja,
            "items": [{"title": r[1], "link": r[2], "source": r[3], "published": r[4][:10]}
                      for r in rows],
        })  # fmt: skip
    for row in staff_queue(db, taxonomy, seed=week_seed(week))[:QUESTIONS]:
        row["url"] = f"{base_url}/tagging?item={row['id']}"
        data.questions.append(row)
    data.broken_feeds = [r for r in feed_health(db) if r["error_count"] and r["enabled"]]
    version = current_version(models_dir)
    data.model = {"version": version or "rules"}
    if version:
        metrics = read_metrics(models_dir, version)
        data.model.update(basis=metrics.get("basis"), overall=metrics.get("overall", {}))
    return data
