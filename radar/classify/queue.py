"""Choose which items to ask staff about this week (active learning).

Pure. Most of the queue is what the model is least sure of (where a tag teaches it most),
some is where the rules and the model disagree, and some is random: the random slice is an
unbiased sample, so the tags it collects give an honest accuracy estimate over time.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

QUEUE_SIZE = 15
UNCERTAIN_SHARE = 0.6
DISAGREE_SHARE = 0.2


@dataclass(frozen=True)
class Candidate:
    """An untagged item with its scores."""

    item_id: int
    quadrant: str | None
    confidence: float
    rule_quadrant: str | None


@dataclass(frozen=True)
class QueueEntry:
    """One item to ask about, and why it was picked."""

    item_id: int
    reason: str  # "uncertain" | "disagree" | "random"


def pick_queue(
    candidates: Sequence[Candidate], seed: int, size: int = QUEUE_SIZE
) -> list[QueueEntry]:
    """Pick about ``size`` items: least certain, then disagreements, then a random slice."""
    chosen: list[QueueEntry] = []
    taken: set[int] = set()

    def take(pool: Sequence[Candidate], count: int, reason: str) -> None:
        for candidate in pool:
            if len([c for c in chosen if c.reason == reason]) >= count:
                return
            if candidate.item_id not in taken:
                taken.add(candidate.item_id)
                chosen.append(QueueEntry(candidate.item_id, reason))

    n_uncertain = round(size * UNCERTAIN_SHARE)
    n_disagree = round(size * DISAGREE_SHARE)
    by_doubt = sorted(candidates, key=lambda c: (c.confidence, c.item_id))
    take(by_doubt, n_uncertain, "uncertain")
    disagreements = sorted(
        (c for c in candidates if c.rule_quadrant and c.quadrant != c.rule_quadrant),
        key=lambda c: (-c.confidence, c.item_id),
    )
    take(disagreements, n_disagree, "disagree")
    rest = [c for c in candidates if c.item_id not in taken]
    random.Random(seed).shuffle(rest)
    take(rest, size - len(chosen), "random")
    return chosen
