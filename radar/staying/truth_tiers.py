"""Back-test figures per tier of the truth (adoption series, seeds, coverage).

Pure. The outcome is read from the most trusted evidence there is (outcomes.py), so one
back-test mixes tiers, and a tier can be nearly all of one outcome (technologies with real
adoption seldom collapse within a year). Then a scorer that only knows which tier a technology
is in ranks well overall without ranking anything within a tier; these figures show whether
it does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sklearn.metrics import roc_auc_score


def auc_by_basis(
    bases: Sequence[str], truth: Sequence[int], scores: Mapping[str, Sequence[float]]
) -> dict[str, dict[str, Any]]:
    """Per basis: how many, how many positive, and each scorer's AUC (None: one outcome only)."""
    found: dict[str, dict[str, Any]] = {}
    for basis in sorted(set(bases)):
        idx = [i for i, b in enumerate(bases) if b == basis]
        labels = [truth[i] for i in idx]
        row: dict[str, Any] = {"n": len(idx), "positives": sum(labels)}
        for name, values in scores.items():
            row[f"{name}_auc"] = (
                round(float(roc_auc_score(labels, [values[i] for i in idx])), 4)
                if len(set(labels)) == 2
                else None
            )
        found[basis] = row
    return found


def within_tiers(
    bases: Sequence[str], truth: Sequence[int], scores: Mapping[str, Sequence[float]]
) -> dict[str, Any]:
    """Each scorer's AUC within tiers only: the tiers' AUCs weighted by their size.

    Only tiers holding both outcomes count (``n`` says how many technologies are in them);
    with none, there is nothing a ranking could be judged on, and the AUCs are None: a figure
    across tiers then measures which tier a technology is in, not whether it lasted.
    """
    by_basis = auc_by_basis(bases, truth, scores)
    rankable = {b: row for b, row in by_basis.items() if 0 < row["positives"] < row["n"]}
    n = sum(row["n"] for row in rankable.values())
    result: dict[str, Any] = {"n": n, "tiers": sorted(rankable)}
    for name in scores:
        result[f"{name}_auc"] = (
            round(sum(row["n"] * row[f"{name}_auc"] for row in rankable.values()) / n, 4)
            if n
            else None
        )
    return result
