"""What staff see: this week's questions (the tagging queue) and why an item was scored so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from radar.classify.candidates import bursting_terms
from radar.classify.explain import explain
from radar.classify.meaning import EMBEDDING_DIM
from radar.classify.mentions import MentionMatcher
from radar.classify.queue import Candidate, pick_queue
from radar.classify.registry import load_usable
from radar.classify.text import model_text, rule_text
from radar.classify.topic_terms import topic_mentions
from radar.classify.train import Example, predict_quadrants
from radar.classify.vectors import stored_meaning
from radar.classify.weak import weak_quadrant
from radar.errors import RadarError
from radar.store.labels import get_tag
from radar.taxonomy.model import Taxonomy
from radar.timefmt import from_iso, to_iso

RECENT = timedelta(days=28)


def week_seed(week: str) -> int:
    """The queue's seed for an ISO week label (2024-W05 gives 202405).

    The app, the CLI and the digest ask the same questions all week because all three
    seed the queue from the week's label, in Japan time.
    """
    return int(week[:4]) * 100 + int(week.split("W")[1])


def staff_queue(db: sqlite_utils.Database, taxonomy: Taxonomy, seed: int) -> list[dict[str, Any]]:
    """About 15 recent untagged items to ask about, each with the reason it was picked."""
    newest = db.execute("SELECT max(published_at) FROM items").fetchone()[0]
    if newest is None:
        return []
    since = to_iso(from_iso(newest) - RECENT)
    cursor = db.execute(
        "SELECT i.id, i.title, i.link, i.lang, i.published_at, sc.quadrant,"
        " coalesce(sc.quadrant_confidence, 0), sc.relevance,"
        " (SELECT group_concat(m.tech_id, ' ') FROM mentions m WHERE m.item_id = i.id),"
        " coalesce(sc.model_quadrant, sc.quadrant), i.summary_text, i.story_id"
        " FROM items i LEFT JOIN scores sc ON sc.item_id = i.id"
        " WHERE i.published_at >= ? AND NOT EXISTS (SELECT 1 FROM tags t JOIN items j"
        " ON j.id = t.item_id WHERE j.id = i.id OR j.story_id = i.story_id) ORDER BY i.id",
        [since],
    )
    rows: dict[int, tuple] = {}
    stories: set[int] = set()
    for r in cursor.fetchall():  # one question per story: the same headline in two feeds
        if r[11] is None or r[11] not in stories:
            rows[r[0]] = r
            stories.add(r[11])
    candidates = [  # the model's own guess against the rules' (the stored one is rules-first)
        Candidate(r[0], r[9], float(r[6]),
                  weak_quadrant((r[8] or "").split(), taxonomy, rule_text(r[1], r[10] or ""))[0])
        for r in rows.values()
    ]  # fmt: skip
    return [
        {
            "id": entry.item_id, "reason": entry.reason, "title": rows[entry.item_id][1],
            "link": rows[entry.item_id][2], "lang": rows[entry.item_id][3],
            "published": rows[entry.item_id][4], "quadrant": rows[entry.item_id][5],
            "quadrant_confidence": round(float(rows[entry.item_id][6]), 3),
            "relevance": rows[entry.item_id][7],
            "technologies": (rows[entry.item_id][8] or "").split(),
        }
        for entry in pick_queue(candidates, seed)
    ]  # fmt: skip


def explain_item(
    db: sqlite_utils.Database, taxonomy: Taxonomy, models_dir: Path, item_id: int
) -> dict[str, Any]:
    """The aliases found and the terms that drove the model's quadrant and relevance."""
    row = db.execute("SELECT title, summary_text FROM items WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise RadarError(f"explain: no item with id {item_id}")
    matcher = MentionMatcher.from_taxonomy(taxonomy)
    mentions = matcher.find_mentions(f"{row[0]}\n{row[1][:400]}")
    result: dict[str, Any] = {
        "id": item_id,
        "title": row[0],
        "mentions": [
            {"tech": tech, "text": text}
            for tech, text in dict.fromkeys((m.tech_id, m.text) for m in mentions)
        ],
    }
    raw = rule_text(row[0], row[1] or "")
    techs = list(dict.fromkeys(m.tech_id for m in mentions))  # once each, as when scoring
    rule_quadrant, rule_confidence = weak_quadrant(techs, taxonomy, raw)
    result["topic_terms"] = topic_mentions(raw, taxonomy.topic_terms)
    result["rule_quadrant"] = rule_quadrant
    result["quadrant"] = rule_quadrant
    tag = get_tag(db, item_id)
    if tag:  # what is stored and shown for this item, whatever the models say
        result["tag"] = {k: tag[k] for k in ("quadrant", "relevant", "staying", "tagged_by")}
    loaded = load_usable(models_dir)  # the rules explain when the model cannot be read
    result["model"] = loaded[0] if loaded else "rules"
    if loaded and loaded[1].topic is not None:
        text = model_text(row[0], row[1])
        result.update(explain(loaded[1], text))  # the model's own terms and quadrant
        example = Example(item_id, text, "", "", None, None, False, rule_quadrant,
                          rule_confidence=rule_confidence, title=row[0])  # fmt: skip
        models, matrix = loaded[1], loaded[1].matrix([text])
        # The stored vector when there is one, so the explanation matches the stored score.
        meaning = stored_meaning(db, models.relevance_encoder, keep=False)
        embedded = meaning([example]) if models.reads_meaning else None
        guess = predict_quadrants(models, matrix, [example], embedded)
        result["quadrant"], result["model_quadrant"] = guess.quadrants[0], guess.model[0]
        if models.meaning is not None and embedded is not None:  # the meaning alone says
            result["meaning_quadrant"] = str(models.meaning.predict(embedded[:, :EMBEDDING_DIM])[0])
        if models.relevance is not None:  # both models, as stored (the terms are the n-grams')
            relevance = models.relevance_proba(matrix, [example], embedded)[0]
            result["relevance"] = round(float(relevance), 3)
    return result


@dataclass(frozen=True)
class CandidateWindow:
    """The weeks a candidate search compares: they end at the store's newest item.

    Relative to the data, not the clock, so an archive or the demo (which ends in 2024)
    is searched where its items are; ``recent`` and ``before`` count the items in each part.
    """

    start: datetime
    cut: datetime
    newest: datetime
    recent: int
    before: int


def candidate_window(
    db: sqlite_utils.Database, weeks: int = 4, baseline_weeks: int = 12
) -> CandidateWindow | None:
    """The last ``weeks`` up to the newest item and the ``baseline_weeks`` before; None if empty."""
    newest = db.execute("SELECT max(published_at) FROM items").fetchone()[0]
    if newest is None:
        return None
    end = from_iso(newest)
    cut = end - timedelta(weeks=weeks)
    start = cut - timedelta(weeks=baseline_weeks)
    recent, before = db.execute(
        "SELECT coalesce(sum(published_at >= ?), 0), coalesce(sum(published_at < ?), 0)"
        " FROM items WHERE published_at >= ?",
        [to_iso(cut), to_iso(cut), to_iso(start)],
    ).fetchone()
    return CandidateWindow(start, cut, end, int(recent), int(before))


def candidate_techs(
    db: sqlite_utils.Database, taxonomy: Taxonomy, weeks: int = 4, baseline_weeks: int = 12
) -> list[dict[str, Any]]:
    """Terms bursting in the last ``weeks`` against the ``baseline_weeks`` before them."""
    window = candidate_window(db, weeks, baseline_weeks)
    if window is None:
        return []
    rows = db.execute(
        "SELECT title, published_at >= ? FROM items WHERE published_at >= ?",
        [to_iso(window.cut), to_iso(window.start)],
    ).fetchall()
    matcher = MentionMatcher.from_taxonomy(taxonomy)
    found = bursting_terms(
        (title for title, is_recent in rows if is_recent),
        (title for title, is_recent in rows if not is_recent),
        matcher.find,
    )
    return [vars(candidate) for candidate in found]
