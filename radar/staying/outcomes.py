"""What "a de facto standard a year on" means: one definition for self-labels and back-test truth.

Pure. The question the radar answers is whether a technology is still used a year after a
week, not whether it is still in the news, so the outcome of a technology-week is read from
the most trustworthy evidence there is, in this order:

1. **Adoption series** (jobs, Stack Overflow questions, GitHub activity, downloads): where the
   technology had a real adoption level at the week, it is a standard a year on when the level
   over the following 12 months holds at least ``HOLD_SHARE`` (50%) of the level over the 12
   months before the week (median over independent sources); below that, it collapsed
   (``series_signals.adoption_outcome``).
2. **Staff verdicts and dated radar seeds** (``radar techs verdict``, staff staying tags, and
   hand-made radars such as the Thoughtworks volumes: reaching Adopt = standard, Hold without
   Adopt = not): a verdict that became known within the year after the week decides.
3. **Coverage**, only where nothing else exists: still covered by at least two sources (or by
   every active source, when fewer are active) in at least 4 of the weeks 40-52 after.

The tier that decided is kept with the label (``basis``), so a back-test can say how much of
its truth rests on adoption and how much on coverage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from radar.outcome import DEFINITION as DEFINITION  # stated once, for every reader
from radar.staying.series_signals import adoption_outcome
from radar.staying.signals import TechSeries, week_last_day
from radar.store.weekly import WeeklyData

OUTCOME_WEEKS = range(40, 53)
MIN_COVERED_WEEKS = 4
HORIZON = 52
BASES = ("adoption", "seed", "coverage")


@dataclass(frozen=True)
class Outcome:
    """Whether the technology was still a standard a year on, and which evidence said so."""

    label: int
    basis: str  # one of BASES


def active_sources(data: WeeklyData) -> dict[int, int]:
    """How many sources published anything in each week."""
    active: dict[int, int] = defaultdict(int)
    for week, _feed in data.volume:
        active[week] += 1
    return active


def outcome(s: TechSeries, week: int, active: dict[int, int]) -> int:
    """Coverage tier: 1 when the tech is still covered a year after ``week``, else 0."""
    covered = 0
    for offset in OUTCOME_WEEKS:
        w = week + offset
        needed = min(2, active.get(w, 0)) or 1
        if len(s.sources.get(w, ())) >= needed:
            covered += 1
    return int(covered >= MIN_COVERED_WEEKS)


def standard_a_year_on(
    s: TechSeries, week: int, active: dict[int, int], seed: tuple[int, int] | None = None
) -> Outcome:
    """The outcome of one technology-week, from the most trusted evidence that exists.

    ``seed`` is (label, week it became known); it decides only when it became known within
    the year after ``week``, and only where the adoption series cannot.
    """
    adopted = adoption_outcome(s.external, week_last_day(week), week_last_day(week + HORIZON))
    if adopted is not None:
        return Outcome(adopted, "adoption")
    if seed is not None and week < seed[1] <= week + HORIZON:
        return Outcome(seed[0], "seed")
    return Outcome(outcome(s, week, active), "coverage")
