"""What happened after a week: did the technology stay covered? (self-labels, back-test truth)

Pure. "Still a standard a year on" is measured as still covered by at least two sources
(or by every active source, when fewer are active) in at least 4 of the weeks 40-52 after.
"""

from __future__ import annotations

from collections import defaultdict

from radar.staying.signals import TechSeries
from radar.store.weekly import WeeklyData

OUTCOME_WEEKS = range(40, 53)
MIN_COVERED_WEEKS = 4
HORIZON = 52


def active_sources(data: WeeklyData) -> dict[int, int]:
    """How many sources published anything in each week."""
    active: dict[int, int] = defaultdict(int)
    for week, _feed in data.volume:
        active[week] += 1
    return active


def outcome(s: TechSeries, week: int, active: dict[int, int]) -> int:
    """1 when the tech is still covered a year after ``week``, else 0."""
    covered = 0
    for offset in OUTCOME_WEEKS:
        w = week + offset
        needed = min(2, active.get(w, 0)) or 1
        if len(s.sources.get(w, ())) >= needed:
            covered += 1
    return int(covered >= MIN_COVERED_WEEKS)
