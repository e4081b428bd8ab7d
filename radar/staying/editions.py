"""Build weekly radar editions from the store: signals, score, ring, reasons, movement.

The one orchestrator of staying power. An edition for week W uses only items dated up to W
and a model trained only on outcomes complete by W, so past editions are what the radar would
have said then. Staff overrides made for W or earlier win and are marked as human decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from radar.staying.calibration import CalibratedModel, calibrated_fit
from radar.staying.kind_labels import decline_reason, thin_reason
from radar.staying.model import fit_staying
from radar.staying.outcomes import HORIZON, active_sources, standard_a_year_on
from radar.staying.reasons import explain_placement, reason
from radar.staying.rings import cap_for_kind, declined, is_thin, movement, place, with_stances
from radar.staying.series_load import attach_series, load_tech_series
from radar.staying.series_signals import series_reasons
from radar.staying.signals import (
    MIN_MENTIONS_26,
    TechSeries,
    build_series,
    evidence_at,
    features_at,
    mentions_26,
    week_last_day,
)
from radar.store.editions import (
    evidence_items,
    overrides_at,
    previous_rings,
    save_edition,
)
from radar.store.labels import staff_tech_labels
from radar.store.weekly import (
    JST,
    WeeklyData,
    load_weekly,
    parse_week_label,
    week_label,
    week_monday,
    week_of,
)
from radar.taxonomy.model import Taxonomy
from radar.timefmt import from_iso, to_iso

SAMPLE_EVERY = 4
RETRAIN_EVERY = 13


@dataclass(frozen=True)
class Training:
    """Samples for the staying model: features at a week and what happened a year later."""

    samples: list[dict[str, float]]
    labels: list[int]
    keys: list[tuple[str, int]]
    bases: list[str]  # the tier of evidence each label was read from (outcomes.BASES)


def training_set(
    series: dict[str, TechSeries], data: WeeklyData, until_week: int,
    seeds: dict[str, tuple[int, int]] | None = None,
) -> Training:  # fmt: skip
    """Samples whose outcome is known by ``until_week``, labelled by ``standard_a_year_on``.

    ``seeds`` maps tech -> (label, week the label became known); a seed labels the samples
    of the year before it became known, only if it was known by ``until_week``, and only
    where the technology's adoption series cannot (outcomes.py: the order of trust).
    """
    active = active_sources(data)
    samples, labels, keys, bases = [], [], [], []
    for tech, s in series.items():
        seed = (seeds or {}).get(tech)
        for week in range(s.first_week, until_week - HORIZON + 1, SAMPLE_EVERY):
            if mentions_26(s, week) < MIN_MENTIONS_26:
                continue
            known = seed if seed and seed[1] <= until_week else None
            found = standard_a_year_on(s, week, active, known)
            if not found.known:
                continue
            samples.append(features_at(s, week))
            labels.append(found.label)
            keys.append((tech, week))
            bases.append(found.basis)
    return Training(samples, labels, keys, bases)


def model_for_week(
    series: dict[str, TechSeries], data: WeeklyData, week: int,
    seeds: dict[str, tuple[int, int]] | None = None,
) -> CalibratedModel:  # fmt: skip
    """The staying model as it could have been trained (and calibrated) at ``week``."""
    train = training_set(series, data, week, seeds)
    weeks = [w for _, w in train.keys]
    return calibrated_fit(train.samples, train.labels, weeks, week, fit_staying, train.bases)


def blips_for_week(
    series: dict[str, TechSeries], taxonomy: Taxonomy, week: int, model: CalibratedModel,
    previous: dict[str, str], overrides: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:  # fmt: skip
    """Pure placement of every technology with enough recent coverage."""
    blips = []
    for tech in taxonomy.techs:
        s = series.get(tech.id)
        if s is None or mentions_26(s, week) < MIN_MENTIONS_26:
            continue
        features = features_at(s, week)
        evidence = evidence_at(s, week)
        score = model.probability(features)
        ring = place(score, evidence, tech.kind)
        human = tech.id in overrides
        reasons = explain_placement(features, evidence, model.points(features))
        # --- judgement (engineer `judge`): kind, thin evidence, decline, for/against ---
        # "decline" from reasons.py compares raw counts, so an archive that stops reads as a
        # fall; the source-aware decline_reason replaces it.
        reasons = [r for r in reasons if r["code"] != "decline"]
        thin = ring == "assess" and is_thin(evidence)
        evidence = {**evidence, "kind": tech.kind, "thin": thin and not human}
        if thin:
            reasons = [
                thin_reason(evidence),
                *(r for r in reasons if r["code"] != "little-evidence"),
            ]
        elif declined(evidence):  # the reason for Hold, or for keeping it out of Adopt/Trial
            reasons.insert(0, decline_reason(evidence))
        reasons += series_reasons(s.external, week_last_day(week))
        # --- end judgement ---
        if human:
            decision = overrides[tech.id]
            ring = cap_for_kind(decision["ring"], tech.kind)
            staff = reason("staff", comment=decision["comment"], by=decision["decided_by"])
            reasons.insert(0, staff)
        reasons = with_stances(reasons, ring)
        blips.append(
            {
                "tech_id": tech.id, "quadrant": tech.quadrant, "ring": ring,
                "score": round(score, 3), "movement": movement(previous.get(tech.id), ring),
                "human": human, "reasons": reasons, "evidence": evidence, "model": model.kind,
            }
        )  # fmt: skip
    return blips


def staff_seeds(db: sqlite_utils.Database) -> dict[str, tuple[int, int]]:
    """Staff fad/standard verdicts as labels, known from the week of the latest tag."""
    return {
        tech: (label, week_of(from_iso(when)))
        for tech, (label, when) in staff_tech_labels(db).items()
    }


def week_end(week: int) -> datetime:
    """The last moment of a week in Japan time."""
    start = datetime.combine(week_monday(week), datetime.min.time(), tzinfo=JST)
    return start + timedelta(days=7) - timedelta(seconds=1)


def build_editions(
    db: sqlite_utils.Database, taxonomy: Taxonomy, weeks: Iterable[int], now: datetime,
    *, seeds: dict[str, tuple[int, int]] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> int:  # fmt: skip
    """Build and store the editions of ``weeks`` (in order); return how many were built.

    The store is read once up to the last week; every signal and label is computed causally
    from weeks up to the edition's own week, so the result equals building each alone.
    """
    weeks = sorted(weeks)
    if not weeks:
        return 0
    seeds = {**(seeds or {}), **staff_seeds(db)}
    data = load_weekly(db, until=week_end(weeks[-1]))
    series = build_series(data)
    attach_series(series, load_tech_series(db, taxonomy))
    models: dict[int, CalibratedModel] = {}
    for done, week in enumerate(weeks, 1):
        label = week_label(week)
        # Retrained each quarter: outcomes a year out change slowly, and training at the
        # quarter's first week only uses labels known then, so it stays causal.
        quarter = week - week % RETRAIN_EVERY
        if quarter not in models:
            models[quarter] = model_for_week(series, data, quarter, seeds)
        model = models[quarter]
        blips = blips_for_week(
            series, taxonomy, week, model, previous_rings(db, label), overrides_at(db, label)
        )
        since, until = to_iso(week_end(week - 26)), to_iso(week_end(week))
        for blip in blips:
            blip["evidence"]["items"] = evidence_items(db, blip["tech_id"], since, until)
            blip["evidence"]["model"] = model.kind
        save_edition(db, label, blips, now)
        if progress:
            progress(done, label)
    return len(weeks)


def pending_weeks(db: sqlite_utils.Database, rebuild: bool = False) -> list[int]:
    """Weeks from the first unbuilt edition up to the newest item's week (all if rebuild)."""
    first, last = db.execute("SELECT min(published_at), max(published_at) FROM items").fetchone()
    if first is None:
        return []
    start, end = week_of(from_iso(first)), week_of(from_iso(last))
    built = db.execute("SELECT max(week) FROM editions").fetchone()[0]
    if built and not rebuild:
        start = max(start, parse_week_label(built) + 1)
    return list(range(start, end + 1))
