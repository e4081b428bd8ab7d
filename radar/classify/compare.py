"""Whether a new model version is better than the current one: the one promotion rule.

Held-out figures move by a few ten-thousandths between two fits on the same data, so a
plain ``<`` called a version "worse" over noise. The rule, used by the CLI, the app and the
scheduler alike:

* each headline metric (topic macro-F1, relevance AUC) the current model has is compared on
  the same held-out items; a drop larger than ``TOLERANCE`` makes the new version **worse**
  (not promoted unless forced); a gain larger than it makes it **better**; otherwise there is
  **no measurable difference**, and the new version is promoted, since it has read the newest
  items and tags;
* when the held-out labels are the weak rules' own output (basis ``"weak"``) the figures
  only say how well a model copies the rules, so the comparison **cannot tell**; the same
  promotion rule still applies (nothing better is known), and every shell says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TOLERANCE = 0.01  # in macro-F1 and AUC points: below this two versions are the same
METRICS = ("quadrant_macro_f1", "relevance_auc")


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing a new version with the current one on the same items.

    ``verdict`` is "better", "same", "worse" or "cannot_tell" (weak labels); ``worse`` says
    whether any metric dropped by more than the tolerance (it decides promotion even when
    the verdict is "cannot_tell"); ``deltas`` are new minus current, per metric.
    """

    verdict: str
    worse: bool
    deltas: dict[str, float]
    tolerance: float = TOLERANCE

    @property
    def promote(self) -> bool:
        """Promote unless measurably worse."""
        return not self.worse


def compare(
    new: dict[str, Any], current: dict[str, Any], tolerance: float = TOLERANCE
) -> Comparison:
    """Compare two versions' held-out metrics (as :func:`radar.classify.train.evaluate` gives)."""
    deltas: dict[str, float] = {}
    for key in METRICS:
        if key in current["overall"]:
            deltas[key] = round(new["overall"].get(key, 0.0) - current["overall"][key], 4)
    worse = any(delta < -tolerance for delta in deltas.values())
    better = any(delta > tolerance for delta in deltas.values())
    if new.get("basis") == "weak" or current.get("basis") == "weak":
        verdict = "cannot_tell"
    elif worse:
        verdict = "worse"
    elif better:
        verdict = "better"
    else:
        verdict = "same"
    return Comparison(verdict, worse, deltas, tolerance)
