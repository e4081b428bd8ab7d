"""Generate the demo's adoption and attention series from each technology's designed story.

The offline demo has no collectors, yet `make run` should show what the series add: adoption
(jobs, questions, downloads, Japanese developer articles) that a standard keeps and a fad never
earns, beside attention (pageviews, news, Hacker News stories) that a fad's boom inflates. So
each demo technology's ``story`` and ``series:`` block in techs.yaml (which sources carry it,
how big it is, when it took off or peaked) is turned into monthly points, 2019-01 to 2023-12
(the demo's present is 2024-W01, so no month after it is written), under the source ids the
real collectors use and with the technology id as the term. Pure: no clock, no network; one
seed per (technology, source) makes every call return the same points.
"""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from radar.demo.corpus import DEMO_SEED, demo_techs
from radar.records import SeriesPoint
from radar.series.sources import SOURCES
from radar.taxonomy.model import Taxonomy, Tech

FIRST_MONTH: tuple[int, int] = (2019, 1)
LAST_MONTH: tuple[int, int] = (2023, 12)
NOISE = 0.08  # month-to-month wobble, as a share of the value


# Each source: its typical monthly value for a technology of level 1 (a count, or for the
# sources that report a share of the platform's total, that share), and whether it counts use
# (adoption) or talk (attention).
SOURCE_BASE: dict[str, tuple[float, str]] = {
    "wikipedia_ja": (12_000, "attention"),  # pageviews of the Japanese article
    "wikipedia_en": (90_000, "attention"),  # pageviews of the English article
    "gdelt_ja": (400, "attention"),  # Japanese news articles
    "gdelt_en": (2_500, "attention"),  # English news articles
    "hn_stories": (25, "attention"),  # Hacker News stories naming it
    "stackexchange_questions": (0.0017, "adoption"),  # share of Stack Overflow questions
    "qiita_items": (60, "adoption"),  # Qiita articles tagged with it (Japanese developers)
    "npm_downloads": (1_500_000, "adoption"),  # monthly downloads of its packages
    "hn_whoishiring_postings": (0.02, "adoption"),  # share of "Who is hiring?" postings
}
SHARE_SOURCES = frozenset({"stackexchange_questions", "hn_whoishiring_postings"})
# Groups a techs.yaml ``series.sources`` list may name instead of single sources.
SOURCE_GROUPS: dict[str, tuple[str, ...]] = {
    "ja": ("wikipedia_ja", "gdelt_ja"),  # a Japanese public-sector or business topic
    "en": ("wikipedia_en", "gdelt_en"),  # known abroad too
    "dev": ("hn_stories", "stackexchange_questions", "qiita_items", "hn_whoishiring_postings"),
}


def _months() -> list[tuple[int, int]]:
    (y, m), out = FIRST_MONTH, []
    while (y, m) <= LAST_MONTH:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _index(month: str | date) -> float:
    """Months since FIRST_MONTH; a yaml month ("2022-11") or a date."""
    if isinstance(month, date):
        return (month.year - FIRST_MONTH[0]) * 12 + month.month - FIRST_MONTH[1]
    y, m = (int(x) for x in str(month).split("-")[:2])
    return (y - FIRST_MONTH[0]) * 12 + m - FIRST_MONTH[1]


def _logistic(t: float, mid: float, width: float) -> float:
    return 1.0 / (1.0 + math.exp(-(t - mid) / width))


def _boom(t: float, peak: float, halflife: float = 4.0) -> float:
    """A fad's attention: a fast climb to its peak, then a fall by half every ``halflife``."""
    if t <= peak:
        return math.exp(-(((peak - t) / 3.0) ** 2))
    return 0.5 ** ((t - peak) / halflife)


def _taking_off(t: float, spec: Mapping[str, Any]) -> float:
    """A rising technology's attention: a jump at ``onset`` with a burst that settles high."""
    onset = _index(spec["onset"])
    return 0.05 + _logistic(t, onset, 1.5) * (1.0 + 0.6 * _boom(t, onset + 2))


def _retiring(t: float, spec: Mapping[str, Any], yearly: float) -> float:
    """Rising to the last ``peak`` (default: before the series starts), then ``yearly`` a year."""
    peak = _index(spec.get("peak", "2019-01"))
    if t < peak:
        return math.exp(-(((peak - t) / 8.0) ** 2))
    return yearly ** ((t - peak) / 12)


# story -> (attention(t, spec), adoption(t, spec)): the level relative to the tech's size.
Shape = Callable[[float, Mapping[str, Any]], float]
_END = _index(date(*LAST_MONTH, 1))
_SHAPES: dict[str, tuple[Shape, Shape]] = {
    # in wide use: talk flat and calm, use growing slowly
    "standard": (lambda t, s: 1.0 - 0.004 * t, lambda t, s: 0.8 + 0.005 * t),
    # took off at ``onset``: talk jumps first (with a burst), use follows half a year later
    # and keeps climbing: the sign of a lasting technology
    "rising": (_taking_off, lambda t, s: 0.05 + 0.95 * _logistic(t, _index(s["onset"]) + 6, 3.0)),
    # growing steadily from a small base, talk and use alike
    "emerging": (
        lambda t, s: 0.3 * math.exp(1.2 * t / _END),
        lambda t, s: 0.25 * math.exp(1.4 * t / _END),
    ),
    # years from use: some talk, slowly more; next to no use
    "research": (lambda t, s: 0.4 + 0.6 * t / _END, lambda t, s: 0.03),
    # talk booms at ``peak`` and collapses (halving every ``fade`` months); use barely moves
    "fad": (
        lambda t, s: 0.12 + _boom(t, _index(s["peak"]), s.get("fade", 4.0)),
        lambda t, s: 0.05 + 0.15 * _boom(t - 3, _index(s["peak"]), s.get("fade", 4.0)),
    ),
    # being retired (after a last ``peak``, if given): talk and use both shrink, use faster
    "declining": (lambda t, s: _retiring(t, s, 0.75), lambda t, s: _retiring(t, s, 0.65)),
}


def _sources(spec: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for name in spec.get("sources", ["ja"]):
        for source in SOURCE_GROUPS.get(name, (name,)):
            if source not in SOURCE_BASE:
                raise ValueError(f"demo: unknown series source {source!r} in techs.yaml")
            if source not in names:
                names.append(source)
    return names


def _total(source: str, t: float) -> float:
    """The platform's own monthly total, for sources that report a share of it."""
    if source == "stackexchange_questions":  # questions per month: falling, faster from 2023
        return 150_000 * 0.9 ** (t / 12) * (0.75 if t >= _index("2023-01") else 1.0)
    return 900 * 0.93 ** (t / 12)  # postings in a "Who is hiring?" month


def series_term(tech_id: str, named: Tech | None, source: str) -> str | None:
    """The term a source knows the technology by: the taxonomy's name for it, else its id.

    ``None`` when the taxonomy says the source has no such term (an empty list), so the demo
    never stores numbers the radar would not tie to the technology.
    """
    declared = named.series if named else ()
    key = SOURCES[source].key
    terms = next((t for k, t in declared if k == key), None)
    if terms is None:
        return tech_id
    return terms[0] if terms else None


def tech_series(
    tech_id: str, tech: Mapping[str, Any], named: Tech | None = None
) -> list[SeriesPoint]:
    """Monthly points for one technology, in every source its ``series:`` block names."""
    spec = {**tech.get("series", {}), "story": tech["story"]}
    attention, adoption = _SHAPES[tech["story"]]
    level = float(spec.get("level", 1.0))
    launch = _index(tech["launch"]) if tech.get("launch") else None
    points = []
    for source in _sources(spec):
        term = series_term(tech_id, named, source)
        if term is None:
            continue
        base, evidence = SOURCE_BASE[source]
        shape = attention if evidence == "attention" else adoption
        rng = random.Random(f"{DEMO_SEED}:{tech_id}:{source}")
        for y, m in _months():
            t = _index(date(y, m, 1))
            if launch is not None and t < launch:
                continue  # no article, tag or package before the real release
            wobble = 1.0 + rng.uniform(-NOISE, NOISE)
            value = base * level * max(shape(t, spec), 0.0) * wobble
            period = f"{y:04d}-{m:02d}"
            end = date(y, m, calendar.monthrange(y, m)[1]).isoformat()
            if source in SHARE_SOURCES:  # the platform shrinks or grows; the share is the news
                total = round(_total(source, t))
                count = round(min(value, 1.0) * total)
                share = count / total
                points.append(SeriesPoint(source, term, period, end, count, total, share))
            else:
                points.append(SeriesPoint(source, term, period, end, round(value)))
    return points


def demo_series(taxonomy: Taxonomy) -> list[SeriesPoint]:
    """Every demo technology's monthly series, 2019-01 to 2023-12, in a fixed order.

    Terms are the names ``taxonomy`` gives each technology in each source, so the radar maps
    every demo point back to its technology exactly as it maps a collected one.
    """
    named = {t.id: t for t in taxonomy.techs}
    return [p for tid, tech in demo_techs().items() for p in tech_series(tid, tech, named.get(tid))]
