"""Seed labels from dated hand-made radars (e.g. the Thoughtworks volumes as BYOR CSVs).

Only names, rings and dates are used, never descriptions: a technology that reached Adopt is
a 'standard' label from that date; one that went to Hold without reaching Adopt is 'fad-ish'.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from radar.staying.byor import loads
from radar.store.weekly import EPOCH_MONDAY

_DATED = re.compile(r"\((?P<month>[A-Z][a-z]{2}) (?P<year>\d{4})\)")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()  # noqa: SIM905


def volume_date(name: str) -> date | None:
    """The date in a file name such as 'Volume 15 (Nov 2016).csv'."""
    match = _DATED.search(name)
    if not match or match["month"] not in _MONTHS:
        return None
    return date(int(match["year"]), _MONTHS.index(match["month"]) + 1, 1)


def load_seeds(folder: Path, to_tech: Callable[[str], str | None]) -> dict[str, tuple[int, int]]:
    """tech id -> (label, week it became known) from every dated radar file in ``folder``."""
    events: list[tuple[date, str, str]] = []
    for path in sorted(folder.glob("*.csv")):
        when = volume_date(path.name)
        if when is None:
            continue
        for row in loads(path.read_text(encoding="utf-8")):
            tech = to_tech(row.get("name", ""))
            if tech:
                events.append((when, tech, (row.get("ring") or "").lower()))
    seeds: dict[str, tuple[int, int]] = {}
    for when, tech, ring in sorted(events):
        week = (when - EPOCH_MONDAY).days // 7
        if ring == "adopt" and (tech not in seeds or seeds[tech][0] == 0):
            seeds[tech] = (1, week)
        elif ring == "hold" and tech not in seeds:
            seeds[tech] = (0, week)
    return seeds
