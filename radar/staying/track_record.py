"""The radar's own track record: what its editions said, against what happened a year later.

A calibrated "80%" should mean that eight in ten technologies published at 80% were still
standards a year on; this reads the stored editions (not a re-run), so it checks what staff
were actually shown. Only editions a full year old can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from radar.staying.evaluation import calibration_summary, reliability
from radar.staying.outcomes import HORIZON, active_sources, standard_a_year_on
from radar.staying.series_load import attach_series, load_tech_series
from radar.staying.signals import build_series
from radar.store.editions import edition_weeks, published_scores, ring_counts
from radar.store.weekly import load_weekly, parse_week_label
from radar.taxonomy.model import Taxonomy

EVERY = 4  # one edition in four: neighbouring weeks say nearly the same thing


@dataclass(frozen=True)
class TrackRecord:
    """Reliability of published scores, and the ring distribution of every edition."""

    checked: int  # technology-weeks whose outcome is known
    editions: int  # editions a year old or more, sampled every EVERY weeks
    reliability: list[dict[str, float]]
    calibration: dict[str, Any] | None
    rings: list[tuple[str, str, int]]


def track_record(db: sqlite_utils.Database, taxonomy: Taxonomy) -> TrackRecord:
    """Check every EVERY-th edition at least a year old against what happened after it.

    "What happened" is the radar's one outcome (``outcomes.standard_a_year_on``): adoption
    series where they exist, else coverage.
    """
    rings = ring_counts(db)
    weeks = edition_weeks(db)
    data = load_weekly(db)
    if not weeks or not data.volume:
        return TrackRecord(0, 0, [], None, rings)
    newest = max(w for w, _ in data.volume)
    old_enough = sorted(w for w in weeks if parse_week_label(w) + HORIZON <= newest)[::-EVERY]
    series = build_series(data)
    attach_series(series, load_tech_series(db, taxonomy))
    active = active_sources(data)
    truth, scores = [], []
    for week, tech, score in published_scores(db, old_enough):
        s = series.get(tech)
        if s is None:
            continue
        found = standard_a_year_on(s, parse_week_label(week), active)
        if found.known:
            truth.append(found.label)
            scores.append(score)
    if len(set(truth)) < 2:
        return TrackRecord(len(truth), len(old_enough), [], None, rings)
    return TrackRecord(
        len(truth), len(old_enough), reliability(truth, scores),
        calibration_summary(truth, scores), rings,
    )  # fmt: skip
