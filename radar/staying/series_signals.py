"""Staying-power signals from public series: adoption (jobs, questions, code) against attention.

Pure. Headlines measure attention; a standard is something people quietly use. So, per
technology and date, from series values whose period had ended by that date:

* the **level** of each source (mean share over the 12 months ending at the date; a raw count
  where the source has no total) and its **12-month trend** (log ratio to the 12 months before);
* **months since peak** and **drop from peak** of the 12-month level, per source;
* the **attention-adoption gap**: attention sources (pageviews, searches, stars) growing while
  adoption sources (jobs, questions, pushes) do not is the mark of a fad.

Sources that measure the same platform (GitHub pushes, pull requests and issues) share one
``key`` and count as one independent source: averaged within the key first, then across keys.

A technology with no series gets neutral values and ``series_adoption = 0`` (a missing
indicator), never zeros that read as a decline.

The same level arithmetic defines the outcome's adoption tier (:func:`adoption_outcome`): a
technology is still a standard a year on when its adoption sources hold at least
:data:`HOLD_SHARE` of their level at the date; below that, they collapsed.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from radar.outcome import HOLD_SHARE
from radar.records import SeriesPoint
from radar.series.sources import ADOPTION, ATTENTION, source_info

YEAR = timedelta(days=365)
# A level is real (evidence worth counting) when its 12 months counted at least this many
# (one job posting a month is noise; a Stack Overflow tag with a few questions a year too).
MIN_YEAR_COUNT = 24
TREND_CLIP = 2.0  # log ratio, about x7: a jump from almost nothing is not infinite growth

SERIES_FEATURES = (
    "series_adoption",  # 1 when any adoption source has a real level at the date
    "adoption_trend12",  # log(level / level a year before), adoption keys averaged
    "adoption_drop_peak",  # 1 - level / peak level so far
    "adoption_since_peak",  # log1p(months since the peak level)
    "attention_gap12",  # attention trend minus adoption trend (both must exist)
)
NEUTRAL = dict.fromkeys(SERIES_FEATURES, 0.0)


@dataclass(frozen=True)
class SourceSeries:
    """One source's values for one technology, oldest first (shares where totals exist)."""

    source: str
    key: str  # sources with one key measure one platform: one independent source
    evidence: str  # ADOPTION or ATTENTION
    name_en: str
    name_ja: str
    ends: tuple[date, ...]
    values: tuple[float, ...]  # share where the source has one, else the raw count
    counts: tuple[float | None, ...]
    # The highest 12-month level up to each period end, and the period end it was reached at
    # (filled by ``with_peaks``; a peak is asked for every technology-week).
    peaks: tuple[tuple[float, date] | None, ...] = ()

    def window(self, start: date, end: date) -> tuple[list[float], list[float | None]]:
        """Values (and counts) of the periods ending in ``(start, end]``."""
        lo = bisect.bisect_right(self.ends, start)
        hi = bisect.bisect_right(self.ends, end)
        return list(self.values[lo:hi]), list(self.counts[lo:hi])


def group_points(points: Iterable[SeriesPoint]) -> tuple[SourceSeries, ...]:
    """One SourceSeries per known source; several terms of one source add up per period.

    A source this release does not know is left out (its meaning, adoption or attention, is
    unknown). A share is used where the point has one, so a growing platform's totals do not
    read as growth of every technology on it.
    """
    by_source: dict[str, dict[str, list[float]]] = defaultdict(dict)
    for p in points:
        if source_info(p.source) is None:
            continue
        value = p.share if p.share is not None else p.count
        if value is None:
            continue
        slot = by_source[p.source].setdefault(p.period_end, [0.0, 0.0, 0.0])
        slot[0] += value
        if p.count is not None:
            slot[1] += p.count
            slot[2] = 1.0
    found = []
    for source, periods in sorted(by_source.items()):
        info = source_info(source)
        assert info is not None
        ends = sorted(periods)
        found.append(
            with_peaks(
                SourceSeries(
                    source, info.key, info.evidence, info.name_en, info.name_ja,
                    tuple(date.fromisoformat(e) for e in ends),
                    tuple(periods[e][0] for e in ends),
                    tuple(periods[e][1] if periods[e][2] else None for e in ends),
                )
            )
        )  # fmt: skip
    return tuple(found)


def with_peaks(s: SourceSeries) -> SourceSeries:
    """The series with its running peak of the 12-month level filled in."""
    peaks: list[tuple[float, date] | None] = []
    best: tuple[float, date] | None = None
    for end in s.ends:
        value = level(s, end)
        if value is not None and (best is None or value > best[0]):
            best = (value, end)
        peaks.append(best)
    return replace(s, peaks=tuple(peaks))


def level(s: SourceSeries, day: date) -> float | None:
    """Mean value of the periods ending in the 12 months up to ``day``; None without any."""
    values, _ = s.window(day - YEAR, day)
    return sum(values) / len(values) if values else None


def is_real(s: SourceSeries, day: date) -> bool:
    """Whether the 12 months up to ``day`` hold a level worth counting as evidence."""
    values, counts = s.window(day - YEAR, day)
    if not values:
        return False
    known = [c for c in counts if c is not None]
    if not known:  # a share-only source (PYPL): any share above zero
        return max(values) > 0
    return sum(known) / len(known) * _periods_per_year(s) >= MIN_YEAR_COUNT


def _periods_per_year(s: SourceSeries) -> float:
    """12 for monthly, 4 for quarterly, 1 for yearly sources (from the spacing of periods)."""
    if len(s.ends) < 2:
        return 1.0
    gap = (s.ends[-1] - s.ends[0]).days / (len(s.ends) - 1)
    return max(1.0, round(365 / max(gap, 1.0)))


def trend(s: SourceSeries, day: date) -> float | None:
    """log(level at ``day`` / level a year before), clipped; None unless both are known."""
    now, before = level(s, day), level(s, day - YEAR)
    if now is None or before is None or (now <= 0 and before <= 0):
        return None
    if before <= 0:
        return TREND_CLIP
    if now <= 0:
        return -TREND_CLIP
    return max(-TREND_CLIP, min(TREND_CLIP, math.log(now / before)))


def peak(s: SourceSeries, day: date) -> tuple[float, date] | None:
    """The highest 12-month level at any period end up to ``day``, and when it was."""
    if len(s.peaks) != len(s.ends):
        s = with_peaks(s)
    idx = bisect.bisect_right(s.ends, day)
    return s.peaks[idx - 1] if idx else None


def years_rising(s: SourceSeries, day: date, most: int = 5) -> int:
    """How many years in a row the 12-month level rose, ending at ``day``."""
    rising = 0
    for k in range(most):
        now = level(s, day - k * YEAR)
        before = level(s, day - (k + 1) * YEAR)
        if now is None or before is None or now <= before:
            break
        rising += 1
    return rising


def _by_key(external: Iterable[SourceSeries], evidence: str, day: date) -> dict[str, list]:
    """The sources of one kind of evidence with a real level at ``day``, grouped by key."""
    keys: dict[str, list[SourceSeries]] = defaultdict(list)
    for s in external:
        if s.evidence == evidence and is_real(s, day):
            keys[s.key].append(s)
    return keys


def _mean_over_keys(keys: dict[str, list[SourceSeries]], measure: Any) -> float | None:
    """Average a per-source measure within each key, then across keys (None if none known)."""
    per_key = []
    for sources in keys.values():
        values = [v for v in (measure(s) for s in sources) if v is not None]
        if values:
            per_key.append(sum(values) / len(values))
    return sum(per_key) / len(per_key) if per_key else None


def _drop(s: SourceSeries, day: date) -> float | None:
    top, now = peak(s, day), level(s, day)
    if top is None or now is None or top[0] <= 0:
        return None
    return max(0.0, 1.0 - now / top[0])


def _months_since_peak(s: SourceSeries, day: date) -> float | None:
    top = peak(s, day)
    return None if top is None else (day - top[1]).days / 30.44


def series_features(external: Iterable[SourceSeries], day: date) -> dict[str, float]:
    """SERIES_FEATURES at ``day``; neutral (and ``series_adoption`` 0) without adoption data."""
    external = tuple(external)
    adoption = _by_key(external, ADOPTION, day)
    if not adoption:
        return dict(NEUTRAL)
    adopt_trend = _mean_over_keys(adoption, lambda s: trend(s, day))
    drop = _mean_over_keys(adoption, lambda s: _drop(s, day))
    since = _mean_over_keys(adoption, lambda s: _months_since_peak(s, day))
    attention = _mean_over_keys(_by_key(external, ATTENTION, day), lambda s: trend(s, day))
    gap = attention - adopt_trend if attention is not None and adopt_trend is not None else 0.0
    return {
        "series_adoption": 1.0,
        "adoption_trend12": adopt_trend or 0.0,
        "adoption_drop_peak": drop or 0.0,
        "adoption_since_peak": math.log1p(since) if since else 0.0,
        "attention_gap12": gap,
    }


def adoption_ratio(external: Iterable[SourceSeries], day: date, later: date) -> float | None:
    """Median over adoption keys of level at ``later`` / level at ``day``.

    Only keys with a real level at ``day`` and a known level at ``later`` count; None when no
    key has both (the adoption tier cannot judge, and the next tier of the outcome decides).
    """
    ratios = []
    for sources in _by_key(external, ADOPTION, day).values():
        per_source = []
        for s in sources:
            then, now = level(s, day), level(s, later)
            if then and now is not None:
                per_source.append(now / then)
        if per_source:
            ratios.append(sum(per_source) / len(per_source))
    return statistics.median(ratios) if ratios else None


def adoption_outcome(
    external: Iterable[SourceSeries], day: date, later: date | None = None
) -> int | None:
    """1 when adoption a year after ``day`` holds HOLD_SHARE of its level, 0 if it collapsed.

    ``later`` is the day a year on (default ``day`` + 365 days; the weekly callers pass 52
    weeks on, so a label never reads a period that ends after the week it is known in). None
    when there is no adoption evidence at ``day`` and a year on (the outcome falls back to
    staff verdicts and radar seeds, then to coverage).
    """
    ratio = adoption_ratio(external, day, later or day + YEAR)
    return None if ratio is None else int(ratio >= HOLD_SHARE)


def adoption_censored(external: Iterable[SourceSeries], day: date, later: date) -> bool:
    """Real adoption at ``day``, but no adoption source has values for the year up to ``later``.

    The sources ended (Stack Overflow's yearly counts stop in 2018), not the technology: the
    outcome is unknown, and reading it from coverage instead would call Windows and YouTube
    "not a standard" for want of the series they had.
    """
    adoption = _by_key(tuple(external), ADOPTION, day)
    return bool(adoption) and all(
        level(s, later) is None for sources in adoption.values() for s in sources
    )


def series_evidence(external: Iterable[SourceSeries], day: date) -> dict[str, Any]:
    """Adoption series as evidence for a ring: independent sources, and a measured decline.

    ``series_sources`` counts adoption keys with a real level that did not collapse over the
    last year (each is independent evidence beside the feeds); ``series_declined`` is a fall to
    at most HOLD_SHARE of the level a year before, in the median adoption key: the same line
    the outcome draws, looked at backwards.
    """
    external = tuple(external)
    adoption = _by_key(external, ADOPTION, day)
    ratio = adoption_ratio(external, day - YEAR, day)
    declined = ratio is not None and ratio < HOLD_SHARE
    holding = [
        key for key, sources in adoption.items()
        if (r := adoption_ratio(sources, day - YEAR, day)) is None or r >= HOLD_SHARE
    ]  # fmt: skip
    return {
        "series_sources": 0 if declined else len(holding),
        "series_names": sorted(sources[0].name_en for sources in adoption.values()),
        "series_names_ja": sorted(sources[0].name_ja for sources in adoption.values()),
        "series_declined": declined,
        "series_ratio": None if ratio is None else round(ratio, 2),
    }


def series_reasons(external: Iterable[SourceSeries], day: date) -> list[dict[str, Any]]:
    """Reasons from the series, each naming its source in both languages (codes in reasons.py).

    Per adoption key, the most telling of: rising 2+ years in a row; fallen 30%+ from a peak
    at least a year old. And the attention-adoption gap, when attention grows by half while
    adoption does not grow.
    """
    external = tuple(external)
    found: list[dict[str, Any]] = []
    adoption = _by_key(external, ADOPTION, day)
    for sources in adoption.values():
        s = max(sources, key=lambda x: sum(x.counts[i] or 0 for i in range(len(x.ends))))
        names = {"name_ja": s.name_ja, "name_en": s.name_en}
        rising = years_rising(s, day)
        top, now = peak(s, day), level(s, day)
        if rising >= 2:
            found.append(_reason("series-rising", 1, years=rising, **names))
        elif top and now is not None and top[0] > 0 and (day - top[1]) >= YEAR:
            drop = 1 - now / top[0]
            if drop >= 0.3:
                found.append(
                    _reason("series-fell", -1, pct=round(drop * 100), year=top[1].year, **names)
                )
    adopt_trend = _mean_over_keys(adoption, lambda s: trend(s, day))
    attention = _by_key(external, ATTENTION, day)
    att_trend = _mean_over_keys(attention, lambda s: trend(s, day))
    if att_trend is not None and att_trend >= math.log(1.5) and (adopt_trend or 0.0) <= 0:
        att = sorted({v[0].name_en for v in attention.values()})[0]
        att_ja = sorted({v[0].name_ja for v in attention.values()})[0]
        found.append(
            _reason(
                "attention-gap", -1, pct=round((math.exp(att_trend) - 1) * 100),
                attention_en=att, attention_ja=att_ja,
            )
        )  # fmt: skip
    return found


def _reason(code: str, direction: int, **params: Any) -> dict[str, Any]:
    """A stored reason (as reasons.reason) with a small fixed weight for ordering."""
    return {"code": code, "params": params, "points": 5.0 * direction}
