"""What a poll costs the store: a poll where nothing changed is one commit and loads no model;
feeds stored together still land whole, and one that cannot be stored fails alone."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from feeds import numbered, rss
from feedserver import Route

from radar import workflows
from radar.config import Settings
from radar.ingest import pipeline
from radar.records import FeedSpec
from radar.store.bulk import insert_feeds_bulk
from radar.store.feeds import feed_health, fetch_log, sync_feeds
from tests.conftest import FIXED_NOW

FEEDS, ITEMS = 12, 5


def _serve(feed_server, feeds: int = FEEDS, prefix: str = "F") -> list[FeedSpec]:  # type: ignore[no-untyped-def]
    specs = []
    for n in range(feeds):
        path = f"/{prefix.lower()}{n}.xml"
        body = rss(numbered(ITEMS, prefix=f"{prefix}{n}"))
        feed_server.routes[path] = Route(body=body, etag=f'"{prefix}{n}"')
        specs.append(FeedSpec(id=f"{prefix.lower()}{n}", name=path, url=feed_server.url(path)))
    return specs


def _commits(db) -> list[str]:  # type: ignore[no-untyped-def]
    """Start recording the COMMITs this connection runs; the list fills as they happen."""
    seen: list[str] = []
    db.conn.set_trace_callback(
        lambda sql: seen.append(sql) if sql.strip().upper() == "COMMIT" else None
    )
    return seen


def test_a_poll_where_every_feed_answers_304_is_recorded_in_one_commit(
    feed_server, db, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    sync_feeds(db, _serve(feed_server), "config", FIXED_NOW)
    first = pipeline.run_fetch(db, settings, lambda: FIXED_NOW, everything=True)
    assert (first.ok, first.new_items) == (FEEDS, FEEDS * ITEMS)

    commits = _commits(db)
    later = FIXED_NOW + timedelta(hours=2)
    second = pipeline.run_fetch(db, settings, lambda: later, everything=True)
    db.conn.set_trace_callback(None)

    assert (second.not_modified, second.ok, second.failed) == (FEEDS, 0, 0)
    assert len(commits) == 1
    for row in feed_health(db):
        assert row["last_attempt_at"].startswith("2026-11-23T05:00")
        assert [r["outcome"] for r in fetch_log(db, row["id"])] == ["not_modified", "ok"]


def test_feeds_stored_together_each_get_their_items_and_log_row(
    feed_server, db, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    sync_feeds(db, _serve(feed_server), "config", FIXED_NOW)
    seen: list[tuple[str, str]] = []

    summary = pipeline.run_fetch(
        db, settings, lambda: FIXED_NOW, everything=True,
        progress=lambda feed_id, outcome: seen.append((feed_id, outcome)),
    )  # fmt: skip

    assert (summary.ok, summary.new_items) == (FEEDS, FEEDS * ITEMS)
    assert sorted(seen) == sorted((f"f{n}", "ok") for n in range(FEEDS))
    per_feed = dict(db.execute("SELECT feed_id, count(*) FROM items GROUP BY feed_id").fetchall())
    assert per_feed == {f"f{n}": ITEMS for n in range(FEEDS)}
    for n in range(FEEDS):
        assert [r["new_items"] for r in fetch_log(db, f"f{n}")] == [ITEMS]


def test_a_feed_the_store_refuses_is_that_feeds_error_and_the_others_are_stored(
    feed_server, db, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    # A real store fault for one feed's items, raised by SQLite itself.
    db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON items WHEN new.feed_id = 'f3'"
        " BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
    )
    sync_feeds(db, _serve(feed_server, feeds=6), "config", FIXED_NOW)

    summary = pipeline.run_fetch(db, settings, lambda: FIXED_NOW, everything=True)

    assert (summary.ok, summary.failed, summary.new_items) == (5, 1, 5 * ITEMS)
    assert "disk says no" in summary.errors["f3"]
    per_feed = dict(db.execute("SELECT feed_id, count(*) FROM items GROUP BY feed_id").fetchall())
    assert per_feed == {f"f{n}": ITEMS for n in range(6) if n != 3}
    health = {row["id"]: row for row in feed_health(db)}
    assert health["f3"]["error_count"] == 1 and "disk says no" in health["f3"]["last_error"]


def test_a_poll_with_nothing_new_reads_no_taxonomy_and_scores_nothing(
    feed_server, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(settings, models_dir=tmp_path / "models")
    sync_feeds(db, _serve(feed_server, feeds=3), "config", FIXED_NOW)
    workflows.poll(db, settings, lambda: FIXED_NOW, everything=True)
    scored = db.execute("SELECT count(*) FROM scores").fetchone()[0]
    assert scored == 3 * ITEMS
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text("technologies: [this is not a taxonomy\n", encoding="utf-8")
    unreadable = dataclasses.replace(settings, taxonomy_path=broken)
    stages: list[str] = []

    summary = workflows.poll(
        db, unreadable, lambda: FIXED_NOW + timedelta(hours=2), everything=True,
        progress=lambda stage, *_: stages.append(stage),
    )  # fmt: skip

    assert (summary.not_modified, summary.new_items) == (3, 0)
    assert set(stages) == {"fetch"}  # no linking, no scoring: the broken file was never read


def test_items_stored_together_keep_their_own_feeds_fetch_time(db) -> None:  # type: ignore[no-untyped-def]
    specs = [FeedSpec(id=f"t{n}", name=f"T{n}", url=f"https://t{n}.example/rss") for n in (0, 1)]
    sync_feeds(db, specs, "config", FIXED_NOW)
    items = {
        spec.id: [pipeline.parse_feed(rss(numbered(2, prefix=spec.id)), spec.url, FIXED_NOW)]
        for spec in specs
    }
    later = FIXED_NOW + timedelta(seconds=5)

    insert_feeds_bulk(
        db, {feed: parsed[0].items for feed, parsed in items.items()},
        {"t0": FIXED_NOW, "t1": later},
    )  # fmt: skip

    fetched = dict(db.execute("SELECT DISTINCT feed_id, fetched_at FROM items").fetchall())
    assert fetched["t0"].startswith("2026-11-23T03:00:00")
    assert fetched["t1"].startswith("2026-11-23T03:00:05")
