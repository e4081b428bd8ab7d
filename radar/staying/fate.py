"""Hold the judgment to technologies whose fate is now known, at a past cutoff.

The back-test's own truth ("still covered a year on") rewards persistence for predicting
persistence. A fate list says instead what became of each technology (a standard, or faded),
written from facts that came later; scored at a cutoff with only what was known then, it
asks the real question, above all among the technologies everyone was talking about then.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml
from sklearn.metrics import roc_auc_score

from radar.errors import RadarError
from radar.staying.editions import model_for_week
from radar.staying.evaluation import contested, versus_persistence
from radar.staying.series_load import attach_series, load_tech_series
from radar.staying.signals import MIN_MENTIONS_26, build_series, features_at, mentions_26
from radar.store.weekly import load_weekly, week_label, week_of
from radar.taxonomy.model import SERIES_KEYS, Taxonomy, Tech

OUTCOMES = {"standard": 1, "faded": 0}


@dataclass(frozen=True)
class Fate:
    """One technology's known fate, and the facts it rests on."""

    tech_id: str
    outcome: int
    evidence: str
    hyped: bool = False


def load_fates(path: Path, taxonomy: Taxonomy) -> tuple[list[Fate], Taxonomy]:
    """The fate list, and the taxonomy extended with the technologies it adds (name, aliases).

    An entry without aliases must name a technology of ``taxonomy``; one with aliases is
    added for the evaluation only (the shipped taxonomy is not changed), with its ``series:``
    names where a public series spells it differently (as in the taxonomy).
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fates, extra = [], []
    known = {t.id for t in taxonomy.techs}
    quadrant = taxonomy.quadrants[0].id
    for entry in raw["techs"]:
        if entry["outcome"] not in OUTCOMES:
            raise RadarError(f"{path}: {entry['id']}: outcome must be standard or faded")
        if "aliases" in entry:
            extra.append(
                Tech(
                    id=entry["id"], name_en=entry["name"], name_ja=entry["name"],
                    quadrant=entry.get("quadrant", quadrant), aliases=tuple(entry["aliases"]),
                    case_sensitive=tuple(entry.get("case_sensitive", ())),
                    series=_series(path, entry),
                )
            )  # fmt: skip
        elif entry["id"] not in known:
            raise RadarError(f"{path}: {entry['id']} is not in the taxonomy and has no aliases")
        fates.append(
            Fate(entry["id"], OUTCOMES[entry["outcome"]], entry.get("evidence", ""),
                 bool(entry.get("hyped", False)))
        )  # fmt: skip
    return fates, replace(taxonomy, techs=(*taxonomy.techs, *extra))


def _series(path: Path, entry: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """An added technology's ``series:`` block: known keys, each a list of exact terms."""
    block = entry.get("series") or {}
    for key, terms in block.items():
        if key not in SERIES_KEYS or not all(isinstance(t, str) for t in terms):
            raise RadarError(f"{path}: {entry['id']}: series.{key} must be a known key and terms")
    return tuple((key, tuple(terms)) for key, terms in block.items())


def evaluate_fates(
    db: sqlite_utils.Database, fates: list[Fate], taxonomy: Taxonomy, at: datetime, seed: int = 0
) -> dict[str, Any]:
    """Score the listed technologies covered at ``at`` and compare with their known fate.

    The model is the one the radar would have had at the cutoff (trained and calibrated on
    outcomes known then, with the series values known then). Persistence (share of the 26
    weeks before with a mention) and volume (mentions in them) are the baselines; "contested"
    are the technologies with real coverage then (see ``evaluation.contested``).
    """
    week = week_of(at)
    data = load_weekly(db, until=at)
    series = build_series(data)
    attach_series(series, load_tech_series(db, taxonomy, until=at.date().isoformat()))
    model = model_for_week(series, data, week)
    rows = []
    for fate in fates:
        s = series.get(fate.tech_id)
        if s is None or mentions_26(s, week) < MIN_MENTIONS_26:
            continue
        features = features_at(s, week)
        rows.append((fate, model.probability(features), features["persistence26"],
                     float(mentions_26(s, week))))  # fmt: skip
    truth = [r[0].outcome for r in rows]
    if len(set(truth)) < 2:
        raise RadarError(f"fates: at {week_label(week)} the covered technologies share one fate")
    score, persistence, volume = ([r[i] for r in rows] for i in (1, 2, 3))
    comparison = versus_persistence(truth, score, persistence, volume, seed=seed)
    names = sorted(rows[i][0].tech_id for i in contested(volume))
    return {
        "at": at.date().isoformat(),
        "week": week_label(week),
        "listed": len(fates),
        "covered": len(rows),
        "standards": int(sum(truth)),
        "model_kind": model.kind,
        "calibrated": model.calibrated,
        "auc": round(float(roc_auc_score(truth, score)), 4),
        "persistence_auc": round(float(roc_auc_score(truth, persistence)), 4),
        "volume_auc": round(float(roc_auc_score(truth, volume)), 4),
        "auc_minus_persistence": comparison["auc_minus_persistence"],
        "calibration": comparison["calibration"],
        "contested": {**comparison["contested"], "names": names},
        "technologies": [
            {
                "tech": r[0].tech_id,
                "fate": r[0].outcome,
                "score": round(r[1], 3),
                "persistence26": round(r[2], 3),
                "mentions26": int(r[3]),
            }
            for r in sorted(rows, key=lambda r: -r[1])
        ],
        "missing": sorted(
            f.tech_id for f in fates if f.tech_id not in {r[0].tech_id for r in rows}
        ),
    }


def _row(row: tuple[Fate, float, float, float]) -> dict[str, Any]:
    fate, score, persistence, volume = row
    return {
        "tech": fate.tech_id, "fate": fate.outcome, "score": round(score, 3),
        "persistence26": round(persistence, 3), "mentions26": int(volume),
    }  # fmt: skip
