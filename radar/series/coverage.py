"""How much of each stored series names taxonomy technologies, and which terms name none.

`radar import-series` and `radar series` print this so staff see at once whether a source is
useful and which names to add to a technology's ``series:`` block; nothing here guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from radar.series.mapping import TermMap, map_terms
from radar.series.sources import source_info
from radar.store.series import TermSummary, source_summaries, stored_terms, term_summaries
from radar.taxonomy.model import Taxonomy


@dataclass(frozen=True)
class SourceCoverage:
    """One stored source: its size and span, and how many of its terms name technologies."""

    source: str
    name_en: str
    name_ja: str
    evidence: str  # adoption, attention, or "" for a source this release does not know
    terms: int
    points: int
    first_period_end: str
    last_period_end: str
    mapped_terms: int
    technologies: int


def _by_source(term_map: TermMap) -> dict[str, tuple[set[str], set[str]]]:
    """source -> (mapped terms, technologies they name)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for tech_id, pairs in term_map.linked.items():
        for source, term in pairs:
            terms, techs = found.setdefault(source, (set(), set()))
            terms.add(term)
            techs.add(tech_id)
    return found


def source_coverage(db: sqlite_utils.Database, taxonomy: Taxonomy) -> list[SourceCoverage]:
    """Every stored source with its mapped terms and technologies, sorted by source id."""
    mapped = _by_source(map_terms(taxonomy, stored_terms(db)))
    rows = []
    for summary in source_summaries(db):
        info = source_info(summary.source)
        terms, techs = mapped.get(summary.source, (set(), set()))
        rows.append(
            SourceCoverage(
                summary.source,
                info.name_en if info else summary.source,
                info.name_ja if info else summary.source,
                info.evidence if info else "",
                summary.terms,
                summary.points,
                summary.first_period_end,
                summary.last_period_end,
                len(terms),
                len(techs),
            )
        )
    return rows


def unmapped_terms(
    db: sqlite_utils.Database, taxonomy: Taxonomy, source: str | None = None
) -> list[TermSummary]:
    """The stored terms that name no technology (of ``source`` only, when given)."""
    unmapped = set(map_terms(taxonomy, stored_terms(db)).unmapped)
    return [row for row in term_summaries(db, source) if (row.source, row.term) in unmapped]
