"""The promotion rule: a version is worse only beyond a tolerance, and weak labels cannot tell."""

from __future__ import annotations

import pytest

from radar.classify.compare import TOLERANCE, compare
from radar.classify.train import not_worse


def _metrics(basis: str, f1: float | None, auc: float | None) -> dict:
    overall: dict = {"n": 40}
    if f1 is not None:
        overall["quadrant_macro_f1"] = f1
    if auc is not None:
        overall["relevance_auc"] = auc
    return {"basis": basis, "overall": overall}


@pytest.mark.parametrize(
    ("basis", "new", "current", "verdict", "promote"),
    [
        # the case that was called "worse": 0.0002 AUC below, F1 equal
        ("tagged", (0.81, 0.9120), (0.81, 0.9122), "same", True),
        ("tagged", (0.80, 0.90), (0.80 + TOLERANCE, 0.90), "same", True),  # at the edge
        ("tagged", (0.78, 0.90), (0.80, 0.90), "worse", False),
        ("tagged", (0.85, 0.88), (0.80, 0.90), "worse", False),  # one metric drop is enough
        ("tagged", (0.85, 0.90), (0.80, 0.90), "better", True),
        ("tagged", (0.80, None), (0.80, 0.90), "worse", False),  # a metric it lost
        ("tagged", (0.80, 0.95), (0.80, None), "same", True),  # nothing to compare AUC with
        # weak labels judge the rules' copying: never "better" or "worse", still not promoted
        # when measurably below
        ("weak", (1.0, 0.9998), (1.0, 1.0), "cannot_tell", True),
        ("weak", (0.90, 1.0), (1.0, 1.0), "cannot_tell", False),
        ("weak", (1.0, 1.0), (0.90, 1.0), "cannot_tell", True),
    ],
)
def test_promotion_rule(
    basis: str,
    new: tuple[float | None, float | None],
    current: tuple[float | None, float | None],
    verdict: str,
    promote: bool,
) -> None:
    result = compare(_metrics(basis, *new), _metrics(basis, *current))
    assert (result.verdict, result.promote) == (verdict, promote)
    assert not_worse(_metrics(basis, *new), _metrics(basis, *current)) is promote
    assert result.tolerance == TOLERANCE


def test_the_differences_are_reported_new_minus_current() -> None:
    result = compare(_metrics("tagged", 0.75, 0.9), _metrics("tagged", 0.8, 0.85))
    assert result.deltas == {"quadrant_macro_f1": -0.05, "relevance_auc": 0.05}
