"""One technology's series, grouped by source and ready to draw: the Technology page's data.

The page holds no rules: which terms belong to the technology (exact names, see
:mod:`radar.series.mapping`), whether a source is drawn as a share of its total or as a count,
and in which order sources come are decided here.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from radar.records import SeriesPoint
from radar.series.mapping import map_terms
from radar.series.sources import ADOPTION, SourceInfo, source_info
from radar.store.series import points_for, stored_terms
from radar.taxonomy.model import Taxonomy

SHARE = "share"
COUNT = "count"


@dataclass(frozen=True)
class TermLine:
    """One term's values over time: period end dates (ISO) and the value drawn for each."""

    term: str
    period_ends: tuple[str, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class SourceSeries:
    """One source's lines for a technology, and whether they are shares or counts."""

    source: str
    info: SourceInfo | None
    measure: str  # SHARE (of the source's total that period) or COUNT
    lines: tuple[TermLine, ...]

    def name(self, lang: str) -> str:
        """The source's name in the UI language (its id for a source this release lacks)."""
        return self.info.name(lang) if self.info else self.source


def _measure(points: list[SeriesPoint]) -> str:
    """A share when every point has one: a share survives a source growing, a count does not."""
    return SHARE if all(p.share is not None for p in points) else COUNT


def _source_series(source: str, points: list[SeriesPoint]) -> SourceSeries:
    measure = _measure(points)
    lines = []
    for term in sorted({p.term for p in points}, key=str.casefold):
        kept = [
            (p.period_end, p.share if measure == SHARE else p.count)
            for p in points
            if p.term == term
        ]
        kept = [(end, value) for end, value in kept if value is not None]
        lines.append(
            TermLine(term, tuple(end for end, _ in kept), tuple(float(v) for _, v in kept))
        )
    return SourceSeries(source, source_info(source), measure, tuple(lines))


def series_for_tech(
    db: sqlite_utils.Database, taxonomy: Taxonomy, tech_id: str, until: str | None = None
) -> list[SourceSeries]:
    """The technology's stored series by source: adoption sources first, then attention.

    ``until`` (an ISO date) leaves out periods that had not ended by then. Empty when no
    stored term names the technology.
    """
    pairs = map_terms(taxonomy, stored_terms(db)).pairs_for(tech_id)
    by_source: dict[str, list[SeriesPoint]] = {}
    for point in points_for(db, pairs, until=until):
        by_source.setdefault(point.source, []).append(point)
    found = [_source_series(source, points) for source, points in by_source.items()]
    return sorted(
        (s for s in found if any(line.values for line in s.lines)),
        key=lambda s: (s.info is None or s.info.evidence != ADOPTION, s.source),
    )
