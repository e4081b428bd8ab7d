"""Series values are stored once per (source, term, period) and read as known at a date."""

from __future__ import annotations

from radar.records import SeriesPoint
from radar.store.db import open_db
from radar.store.series import points_for, source_summaries, stored_terms, upsert_points


def _point(period: str, end: str, count: float) -> SeriesPoint:
    return SeriesPoint("questions", "python", period, end, count, 1000.0, count / 1000)


def test_storing_the_same_period_twice_keeps_one_value_the_newest(tmp_path):
    db = open_db(tmp_path / "radar.db")
    upsert_points(db, [_point("2014", "2014-12-31", 10)])
    upsert_points(db, [_point("2014", "2014-12-31", 12)])

    [point] = points_for(db, [("questions", "python")])
    assert point.count == 12
    assert source_summaries(db)[0].points == 1


def test_a_judgment_at_a_date_sees_only_periods_already_over(tmp_path):
    db = open_db(tmp_path / "radar.db")
    upsert_points(
        db,
        [_point("2014", "2014-12-31", 10), _point("2015", "2015-12-31", 20)],
    )

    seen = points_for(db, [("questions", "python")], until="2015-06-30")

    assert [p.period for p in seen] == ["2014"]
    assert stored_terms(db) == [("questions", "python")]
