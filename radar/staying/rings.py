"""Place a technology in a ring from its score and the amount of evidence.

Pure. Thresholds (documented in the README):

* Adopt: P >= 0.70, and at least 10 items from 3+ sources in 8+ of the last 26 weeks;
* Trial: P >= 0.50, and at least 5 items from 2+ sources;
* Hold:  P <  0.25, with at least 5 items (enough evidence that it is fading);
* Assess: everything else: promising but unproven, or too little evidence to judge.

Little evidence therefore stays in Assess and never reaches Adopt. A staff override wins.
"""

from __future__ import annotations

RINGS = ("adopt", "trial", "assess", "hold")
ADOPT_AT, TRIAL_AT, HOLD_BELOW = 0.70, 0.50, 0.25


def place(probability: float, evidence: dict[str, int]) -> str:
    """The ring for a score and its evidence counts (items26, sources26, weeks26)."""
    items, sources, weeks = evidence["items26"], evidence["sources26"], evidence["weeks26"]
    if probability >= ADOPT_AT and items >= 10 and sources >= 3 and weeks >= 8:
        return "adopt"
    if probability >= TRIAL_AT and items >= 5 and sources >= 2:
        return "trial"
    if probability < HOLD_BELOW and items >= 5:
        return "hold"
    return "assess"


def movement(previous: str | None, ring: str) -> str:
    """'new', 'moved in' (toward Adopt), 'moved out', or 'unchanged' since last edition."""
    if previous is None:
        return "new"
    if previous == ring:
        return "unchanged"
    return "moved in" if RINGS.index(ring) < RINGS.index(previous) else "moved out"
