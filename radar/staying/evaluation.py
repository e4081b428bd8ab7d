"""How good a score is, beside another on the same technologies: paired bootstrap, calibration.

Pure. A back-test's question is not "is the model's AUC high" but "does it beat the plain
baseline on the same technologies, by more than chance": a paired bootstrap resamples
technologies once per draw and scores both on that draw, so the interval is of the difference
itself. Calibration asks whether "80%" means that eight in ten such technologies lasted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

BOOTSTRAP = 1000
BINS = 10


def paired_difference(
    truth: Sequence[int],
    score: Sequence[float],
    baseline: Sequence[float],
    metric: Callable[[np.ndarray, np.ndarray], float] = roc_auc_score,
    *,
    draws: int = BOOTSTRAP,
    seed: int = 0,
) -> dict[str, Any]:
    """``metric(score) - metric(baseline)`` with a 95% paired percentile bootstrap interval.

    A draw where the resample holds one outcome only is skipped (AUC is undefined there); how
    many draws counted is reported, so a tiny set's interval is read for what it is.
    """
    y = np.asarray(truth)
    a, b = np.asarray(score, dtype=float), np.asarray(baseline, dtype=float)
    if len(set(y.tolist())) < 2:
        raise ValueError("both outcomes are needed to compare scores")
    point = metric(y, a) - metric(y, b)
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(draws):
        idx = rng.integers(0, len(y), len(y))
        if len(set(y[idx].tolist())) < 2:
            continue
        diffs.append(metric(y[idx], a[idx]) - metric(y[idx], b[idx]))
    low, high = np.percentile(diffs, [2.5, 97.5])
    return {
        "difference": round(float(point), 4),
        "ci": [round(float(low), 4), round(float(high), 4)],
        "draws": len(diffs),
    }


def reliability(
    truth: Sequence[int], probability: Sequence[float], bins: int = BINS
) -> list[dict[str, float]]:
    """Per probability bin: the mean predicted probability, the share that lasted, the count.

    Empty bins are left out; the points are what a reliability diagram draws against the
    diagonal.
    """
    y = np.asarray(truth, dtype=float)
    p = np.clip(np.asarray(probability, dtype=float), 0.0, 1.0)
    which = np.minimum((p * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            rows.append(
                {
                    "low": b / bins,
                    "high": (b + 1) / bins,
                    "predicted": round(float(p[mask].mean()), 4),
                    "observed": round(float(y[mask].mean()), 4),
                    "n": int(mask.sum()),
                }
            )
    return rows


def expected_calibration_error(
    truth: Sequence[int], probability: Sequence[float], bins: int = BINS
) -> float:
    """The count-weighted mean gap between predicted and observed, over the bins."""
    rows = reliability(truth, probability, bins)
    total = sum(r["n"] for r in rows)
    if not total:
        return 0.0
    return round(sum(r["n"] * abs(r["predicted"] - r["observed"]) for r in rows) / total, 4)


def calibration_summary(truth: Sequence[int], probability: Sequence[float]) -> dict[str, Any]:
    """Brier score and expected calibration error, for a back-test's report."""
    p = np.clip(np.asarray(probability, dtype=float), 0.0, 1.0)
    return {
        "brier": round(float(brier_score_loss(np.asarray(truth), p)), 4),
        "ece": expected_calibration_error(truth, p),
    }


# "Real coverage at the cutoff": at least as many items in the half-year before as the level
# a decline is measured from (rings.DECLINE_FROM), the radar's own meaning of "a level that
# was once real". Among these, being covered says little by itself: the judgment must tell
# the hyped fad from the standard.
CONTESTED_MENTIONS = 10


def contested(mentions26: Sequence[float]) -> list[int]:
    """Indices of the technologies with real coverage at the cutoff."""
    return [i for i, n in enumerate(mentions26) if n >= CONTESTED_MENTIONS]


def versus_persistence(
    truth: Sequence[int],
    score: Sequence[float],
    persistence26: Sequence[float],
    mentions26: Sequence[float],
    seed: int = 0,
) -> dict[str, Any]:
    """The model against plain persistence, on all technologies and on the contested ones.

    ``auc_minus_persistence`` carries its paired 95% interval; where the contested subset holds
    one outcome only (or nothing), it says so instead of a number.
    """
    y, s, p = list(truth), list(score), list(persistence26)
    result: dict[str, Any] = {
        "auc_minus_persistence": paired_difference(y, s, p, seed=seed),
        "calibration": calibration_summary(y, s),
    }
    idx = contested(mentions26)
    sub_y = [y[i] for i in idx]
    entry: dict[str, Any] = {"n": len(idx), "positives": int(sum(sub_y))}
    if len(set(sub_y)) == 2:
        sub_s, sub_p = [s[i] for i in idx], [p[i] for i in idx]
        entry["auc"] = round(float(roc_auc_score(sub_y, sub_s)), 4)
        entry["persistence_auc"] = round(float(roc_auc_score(sub_y, sub_p)), 4)
        sub_v = [mentions26[i] for i in idx]
        entry["volume_auc"] = round(float(roc_auc_score(sub_y, sub_v)), 4)
        entry["auc_minus_persistence"] = paired_difference(sub_y, sub_s, sub_p, seed=seed)
    else:
        entry["note"] = "one outcome only among the contested technologies: nothing to rank"
    result["contested"] = entry
    return result
