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
3. **Coverage**, only where nothing else exists: still covered, in at least 4 of the weeks
   40-52 after, by two of the sources that covered it in the year before (or by every one of
   them still publishing, when fewer are).

The tier that decided is kept with the label (``basis``), so a back-test can say how much of
its truth rests on adoption and how much on coverage. A technology whose adoption series end
before the year is over (and that no verdict judges) has no outcome (``CENSORED``): it is left
out of training and of the back-test, as a source that stopped is not a technology that did.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from radar.outcome import DEFINITION as DEFINITION  # stated once, for every reader
from radar.staying.series_signals import adoption_censored, adoption_outcome
from radar.staying.signals import TechSeries, week_last_day
from radar.store.weekly import WeeklyData

OUTCOME_WEEKS = range(40, 53)
MIN_COVERED_WEEKS = 4
HORIZON = 52
BASES = ("adoption", "seed", "coverage")
CENSORED = "censored"  # adoption existed at the week but its series end before a year on


@dataclass(frozen=True)
class Outcome:
    """Whether the technology was still a standard a year on, and which evidence said so."""

    label: int
    basis: str  # one of BASES, or CENSORED (label meaningless: leave the sample out)

    @property
    def known(self) -> bool:
        return self.basis != CENSORED


def active_sources(data: WeeklyData) -> dict[int, int]:
    """How many sources published anything in each week."""
    active: dict[int, int] = defaultdict(int)
    for week, _feed in data.volume:
        active[week] += 1
    return active


def _publishing(s: TechSeries, feed: str, week: int) -> bool:
    """Whether ``feed`` published anything in ``week`` (assumed so without a calendar)."""
    return s.calendar is None or s.calendar.weeks(feed, week, week + 1) > 0


def outcome(s: TechSeries, week: int, active: dict[int, int]) -> int:
    """Coverage tier: 1 when the tech is still covered a year after ``week``, else 0.

    Judged in the sources that covered it in the year up to ``week``: two of them in a week
    (or every one still publishing, when fewer than two are). A source that never covered the
    technology cannot show that it lasted: with Hacker News and GitHub trending as the only
    two sources, "two sources" asked every technology to become a trending repository, and
    5G, MFA and web conferencing were "not standards" for want of one. Where none of its
    sources still publishes, any two (or every active) source count.
    """
    before = set().union(*(s.sources.get(w, set()) for w in range(week - 51, week + 1)))
    covered = 0
    for offset in OUTCOME_WEEKS:
        w = week + offset
        judges = {feed for feed in before if _publishing(s, feed, w)}
        found = s.sources.get(w, set())
        if judges:
            needed, seen = min(2, len(judges)), len(found & judges)
        else:
            needed, seen = min(2, active.get(w, 0)) or 1, len(found)
        if seen >= needed:
            covered += 1
    return int(covered >= MIN_COVERED_WEEKS)


def standard_a_year_on(
    s: TechSeries, week: int, active: dict[int, int], seed: tuple[int, int] | None = None
) -> Outcome:
    """The outcome of one technology-week, from the most trusted evidence that exists.

    ``seed`` is (label, week it became known); it decides only when it became known within
    the year after ``week``, and only where the adoption series cannot. Where the technology
    had real adoption at ``week`` but its series stop before a year on, and no seed decides,
    the outcome is unknown (``CENSORED``), never read from coverage: the tier a technology is
    judged by must not depend on when a data source ended.
    """
    day, later = week_last_day(week), week_last_day(week + HORIZON)
    adopted = adoption_outcome(s.external, day, later)
    if adopted is not None:
        return Outcome(adopted, "adoption")
    if seed is not None and week < seed[1] <= week + HORIZON:
        return Outcome(seed[0], "seed")
    if adoption_censored(s.external, day, later):
        return Outcome(0, CENSORED)
    return Outcome(outcome(s, week, active), "coverage")
