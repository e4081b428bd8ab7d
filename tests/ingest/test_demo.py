"""The offline demo goes through the real pipeline: served over HTTP, ingested week by week."""

from __future__ import annotations

from radar.demo.corpus import DEMO_FEEDS
from radar.demo.ingest import ingest_demo
from radar.store.feeds import feed_health
from radar.store.items import ItemQuery, query_items

WEEKS = 6


def test_demo_weeks_populate_the_store_without_errors(db, settings) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    result = ingest_demo(
        db, settings, weeks=WEEKS, progress=lambda done, total, _: seen.append(done)
    )
    health = feed_health(db)
    assert result.failed_fetches == 0
    assert result.new_items > 0 and result.weeks == WEEKS
    assert seen == list(range(1, WEEKS + 1))
    assert len(health) == len(DEMO_FEEDS)
    assert all(row["error_count"] == 0 and row["item_count"] > 0 for row in health)
    langs = {row["lang"] for row in query_items(db, ItemQuery())}
    assert {"ja", "en"} <= langs


def test_demo_can_run_again_without_duplicating(db, settings) -> None:  # type: ignore[no-untyped-def]
    first = ingest_demo(db, settings, weeks=3)
    total = len(query_items(db, ItemQuery()))
    second = ingest_demo(db, settings, weeks=3)
    assert first.new_items == total
    assert second.new_items == 0
    assert len(query_items(db, ItemQuery())) == total


def test_demo_items_are_cleaned_by_the_pipeline(db, settings) -> None:  # type: ignore[no-untyped-def]
    ingest_demo(db, settings, weeks=WEEKS)
    rows = db.execute("SELECT link, summary_html FROM items").fetchall()
    assert rows
    assert not any("utm_" in link for link, _ in rows)
    assert not any("<script" in html for _, html in rows)
    stories = db.execute("SELECT max(n_sources) FROM stories").fetchone()[0]
    assert stories >= 2  # cross-posted stories are grouped
