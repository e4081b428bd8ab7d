"""Read each technology's adoption and attention series from the store, once per build.

The edge of the series signals: the store's terms are mapped to taxonomy technologies by
exact names (``radar.series.mapping``), and every point is read; the signals themselves only
ever look at periods that had ended by the week they judge (``series_signals``), so one read
serves every week of a build and every cutoff of a back-test.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils

from radar.series.mapping import map_terms
from radar.staying.series_signals import SourceSeries, group_points
from radar.staying.signals import TechSeries
from radar.store.series import points_for, stored_terms
from radar.taxonomy.model import Taxonomy


def load_tech_series(
    db: sqlite_utils.Database, taxonomy: Taxonomy, until: str | None = None
) -> dict[str, tuple[SourceSeries, ...]]:
    """tech id -> its series, for every technology some stored term names.

    ``until`` (an ISO date) leaves out periods not over by then, for a reader that must not
    see later values at all.
    """
    terms = map_terms(taxonomy, stored_terms(db))
    found = {}
    for tech in taxonomy.techs:
        pairs = terms.pairs_for(tech.id)
        if pairs:
            grouped = group_points(points_for(db, pairs, until=until))
            if grouped:
                found[tech.id] = grouped
    return found


def attach_series(
    series: Mapping[str, TechSeries], external: Mapping[str, tuple[SourceSeries, ...]]
) -> None:
    """Give each technology's weekly history its series (the others keep none)."""
    for tech_id, s in series.items():
        s.external = external.get(tech_id, ())
