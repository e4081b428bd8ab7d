"""The demo's series reach the store with the items, never from after the demo's own present."""

from __future__ import annotations

import sqlite_utils

from radar.config import Settings
from radar.demo.corpus import demo_techs, week_start
from radar.demo.ingest import ingest_demo
from radar.series.mapping import map_terms
from radar.store.series import source_summaries, stored_terms
from radar.taxonomy.load import load_taxonomy


def test_a_short_demo_stores_only_the_months_over_by_its_last_week_and_never_twice(
    db: sqlite_utils.Database, settings: Settings
) -> None:
    first = ingest_demo(db, settings, weeks=2)
    present = week_start(1).isoformat()  # 2022-07-04, in week 2: June 2022 is the last month over
    summaries = source_summaries(db)
    assert first.series_points > 0
    assert sum(s.points for s in summaries) == first.series_points
    assert max(s.last_period_end for s in summaries) <= present
    assert min(s.first_period_end for s in summaries) == "2019-01-31"
    mapped = map_terms(load_taxonomy(), stored_terms(db))
    assert mapped.unmapped == () and set(mapped.linked) <= set(demo_techs())
    again = ingest_demo(db, settings, weeks=2)
    assert again.series_points == first.series_points
    assert sum(s.points for s in source_summaries(db)) == first.series_points
