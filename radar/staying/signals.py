"""Weekly staying-power signals per technology, computed from data dated up to a week.

Pure. Persistence and breadth carry most of the signal (a steep single spike fades; steady
coverage by many independent sources lasts), so those come first; growth shape, burst shape,
adoption-versus-hype language, municipal relevance and the text model's staying-power reading
of the items refine them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from radar.staying.series_signals import (
    SERIES_FEATURES,
    SourceSeries,
    series_evidence,
    series_features,
)
from radar.store.weekly import WeeklyData, week_monday

FEATURES = (
    "persistence13",
    "persistence26",
    "persistence52",
    "log_sources26",
    "log_stories26",
    "bilingual26",
    "share26",
    "slope26",
    "curvature26",
    "peak_share52",
    "recent_vs_peak",
    "adoption_share26",
    "hype_share26",
    "relevance26",
    "text_staying26",
    "log_age_weeks",
    *SERIES_FEATURES,  # adoption and attention series (series_signals): neutral without any
)
MIN_MENTIONS_26 = 3


@dataclass
class TechSeries:
    """One technology's weekly history: counts, sources, languages, tone, relevance."""

    tech_id: str
    first_week: int
    counts: dict[int, int] = field(default_factory=dict)
    share: dict[int, float] = field(default_factory=dict)
    sources: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    langs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    adoption: dict[int, int] = field(default_factory=dict)
    hype: dict[int, int] = field(default_factory=dict)
    relevance: dict[int, float] = field(default_factory=dict)
    text_staying: dict[int, float] = field(default_factory=dict)
    stories: dict[int, int] = field(default_factory=dict)
    by_source: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    # When each source published anything (shared by every series of one build): a source
    # that stopped publishing is not a technology that stopped being covered.
    calendar: Publishing | None = None
    # Public adoption and attention series (jobs, questions, pageviews; series_load attaches
    # them); the signals read only periods over by the week they judge.
    external: tuple[SourceSeries, ...] = ()


class Publishing:
    """Which weeks each source published in, with O(1) counts over any window of weeks."""

    def __init__(self, weeks_by_feed: dict[str, set[int]]) -> None:
        all_weeks = set().union(*weeks_by_feed.values()) if weeks_by_feed else {0}
        self.first, last = min(all_weeks), max(all_weeks)
        self._cum = {}
        for feed, weeks in weeks_by_feed.items():
            flags = np.zeros(last - self.first + 1, dtype=np.int32)
            flags[[w - self.first for w in weeks]] = 1
            self._cum[feed] = np.concatenate(([0], np.cumsum(flags)))
        self._active: dict[tuple[int, int], int] = {}

    def weeks(self, feed: str, start: int, stop: int) -> int:
        """Weeks in ``range(start, stop)`` in which ``feed`` published anything."""
        cum = self._cum.get(feed)
        if cum is None:
            return 0
        lo = min(max(start - self.first, 0), len(cum) - 1)
        hi = min(max(stop - self.first, 0), len(cum) - 1)
        return int(cum[hi] - cum[lo])

    def active(self, start: int, stop: int, share: float) -> int:
        """Sources publishing in at least ``share`` of the weeks of ``range(start, stop)``."""
        key = (start, stop)
        if key not in self._active:
            need = share * (stop - start)
            self._active[key] = sum(1 for f in self._cum if self.weeks(f, start, stop) >= need)
        return self._active[key]


def build_series(data: WeeklyData) -> dict[str, TechSeries]:
    """Group the weekly aggregates by technology; share is normalised per source volume."""
    feeds_per_week: dict[int, int] = defaultdict(int)
    publishing: dict[str, set[int]] = defaultdict(set)
    for week, feed in data.volume:
        feeds_per_week[week] += 1
        publishing[feed].add(week)
    calendar = Publishing(publishing) if publishing else None
    series: dict[str, TechSeries] = {}
    for tech, week, feed, lang, n, adopt, hype, rel, text_staying in data.mentions:
        s = series.setdefault(tech, TechSeries(tech, data.first_week[tech], calendar=calendar))
        s.counts[week] = s.counts.get(week, 0) + n
        s.by_source[week][feed] = s.by_source[week].get(feed, 0) + n
        volume = data.volume.get((week, feed), n) or n
        s.share[week] = s.share.get(week, 0.0) + n / volume / max(feeds_per_week[week], 1)
        s.sources[week].add(feed)
        s.langs[week].add(lang)
        s.adoption[week] = s.adoption.get(week, 0) + adopt
        s.hype[week] = s.hype.get(week, 0) + hype
        s.relevance[week] = s.relevance.get(week, 0.0) + rel
        s.text_staying[week] = s.text_staying.get(week, 0.0) + text_staying
    for (tech, week), n in data.stories.items():
        if tech in series:
            series[tech].stories[week] = n
    return series


def _window(s: TechSeries, week: int, length: int) -> np.ndarray:
    return np.array([s.counts.get(w, 0) for w in range(week - length + 1, week + 1)], float)


def mentions_26(s: TechSeries, week: int) -> int:
    """Items mentioning the tech in the 26 weeks up to ``week``."""
    return int(_window(s, week, 26).sum())


def week_last_day(week: int) -> date:
    """The last day of a week: a series period must have ended by it to be seen that week."""
    return week_monday(week) + timedelta(days=6)


def features_at(s: TechSeries, week: int) -> dict[str, float]:
    """Every signal of FEATURES for one technology, using only weeks up to ``week``."""
    c13, c26, c52 = _window(s, week, 13), _window(s, week, 26), _window(s, week, 52)
    weeks26 = range(week - 25, week + 1)
    total26 = c26.sum()
    sources26 = set().union(*(s.sources.get(w, set()) for w in weeks26))
    langs26 = set().union(*(s.langs.get(w, set()) for w in weeks26))
    logs = np.log1p(c26)
    x = np.arange(26, dtype=float)
    slope, curvature = 0.0, 0.0
    if total26 > 0:
        slope = float(np.polyfit(x, logs, 1)[0])
        curvature = float(np.polyfit(x, logs, 2)[0])
    peak = c52.max() if c52.size else 0.0
    return {
        "persistence13": float((c13 > 0).mean()),
        "persistence26": float((c26 > 0).mean()),
        "persistence52": float((c52 > 0).mean()),
        "log_sources26": float(np.log1p(len(sources26))),
        "log_stories26": float(np.log1p(sum(s.stories.get(w, 0) for w in weeks26))),
        "bilingual26": float({"ja", "en"} <= langs26),
        "share26": float(sum(s.share.get(w, 0.0) for w in weeks26) * 100),
        "slope26": slope,
        "curvature26": curvature * 100,
        "peak_share52": float(peak / c52.sum()) if c52.sum() else 0.0,
        "recent_vs_peak": float(c13[-4:].mean() / peak) if peak else 0.0,
        "adoption_share26": float(sum(s.adoption.get(w, 0) for w in weeks26) / total26)
        if total26
        else 0.0,
        "hype_share26": float(sum(s.hype.get(w, 0) for w in weeks26) / total26) if total26 else 0.0,
        "relevance26": float(sum(s.relevance.get(w, 0.0) for w in weeks26) / total26)
        if total26
        else 0.0,
        "text_staying26": float(sum(s.text_staying.get(w, 0.0) for w in weeks26) / total26)
        if total26
        else 0.5,
        "log_age_weeks": float(np.log1p(max(0, week - s.first_week))),
        **series_features(s.external, week_last_day(week)),
    }


# The level a decline is measured from: the 52 weeks before the edition's 26, per 26 weeks.
DECLINE_LOOKBACK = 52
# A source counts as continuing when it published in at least this share of the weeks of both
# windows: only those sources can show a fall (an archive that ends is not a decline).
CONTINUING_SHARE = 0.5


def decline_at(s: TechSeries, week: int) -> dict[str, float]:
    """Coverage before and now, from the sources publishing in both windows, per 26 weeks.

    ``then26`` is the tech's items in the DECLINE_LOOKBACK weeks before the last 26, and ``now26``
    its items in the last 26, each counted only in continuing sources and scaled to 26 of that
    source's publishing weeks. Hold needs ``now26`` to have fallen from a ``then26`` that was
    once real; few items in a source that was never counting them is not a fall. ``active26``
    counts the sources publishing in at least half of the last 26 weeks (of any technology),
    so "covered by every source there is" can be told from "covered by one of many".
    """
    now_weeks = range(week - 25, week + 1)
    then_weeks = range(week - 25 - DECLINE_LOOKBACK, week - 25)
    mentioned = set().union(
        *(s.by_source.get(w, {}).keys() for w in range(then_weeks.start, week + 1))
    )
    then26 = now26 = 0.0
    continuing = 0
    calendar = s.calendar
    for feed in sorted(mentioned):
        if calendar is not None:
            then_on = calendar.weeks(feed, then_weeks.start, then_weeks.stop)
            now_on = calendar.weeks(feed, now_weeks.start, now_weeks.stop)
        else:  # no volume known: assume the source published throughout
            then_on, now_on = len(then_weeks), len(now_weeks)
        if then_on < CONTINUING_SHARE * len(then_weeks) or now_on < CONTINUING_SHARE * 26:
            continue
        continuing += 1
        then26 += sum(s.by_source.get(w, {}).get(feed, 0) for w in then_weeks) * 26 / then_on
        now26 += sum(s.by_source.get(w, {}).get(feed, 0) for w in now_weeks) * 26 / now_on
    active26 = (
        calendar.active(now_weeks.start, now_weeks.stop, CONTINUING_SHARE)
        if calendar is not None
        else len(mentioned)
    )
    return {
        "then26": round(then26, 1), "now26": round(now26, 1), "continuing": continuing,
        "active26": active26,
    }  # fmt: skip


def evidence_at(s: TechSeries, week: int) -> dict[str, Any]:
    """Plain counts for placement and reasons: items, weeks covered, sources (26 weeks).

    With the decline measure (``decline_at``) and the names of the sources, so a placement
    can say which sources it rests on.
    """
    weeks26 = range(week - 25, week + 1)
    return {
        **decline_at(s, week),
        "source_names": sorted(set().union(*(s.sources.get(w, set()) for w in weeks26))),
        "items26": mentions_26(s, week),
        "weeks26": sum(1 for w in weeks26 if s.counts.get(w, 0)),
        "sources26": len(set().union(*(s.sources.get(w, set()) for w in weeks26))),
        "stories26": sum(s.stories.get(w, 0) for w in weeks26),
        "adoption26": sum(s.adoption.get(w, 0) for w in weeks26),
        "hype26": sum(s.hype.get(w, 0) for w in weeks26),
        "items_prev26": int(_window(s, week - 26, 26).sum()),
        **series_evidence(s.external, week_last_day(week)),
    }
