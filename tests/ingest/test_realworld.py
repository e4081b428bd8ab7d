"""The 42 captured real feeds (../shared) over HTTP: items or a readable error, never a stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from feedserver import FeedServer, Route

from radar.config import HttpSettings, Settings
from radar.ingest.pipeline import run_fetch
from radar.records import FeedSpec
from radar.store.db import open_db
from radar.store.feeds import feed_health, sync_feeds
from tests.conftest import FIXED_NOW, REALWORLD

pytestmark = pytest.mark.shared


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*") if p.suffix != ".md")


def _serve_all(feed_server, db, root: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = {}
    specs = []
    for path in _files(root):
        route = f"/{path.parent.name}/{path.name}"
        feed_server.routes[route] = Route(
            body=path.read_bytes(), headers={"Content-Type": "application/xml"}
        )
        feed_id = path.name.split("__")[0].split(".")[0]
        feed_id += "-2" if feed_id in ids.values() else ""
        ids[path.name] = feed_id
        specs.append(FeedSpec(id=feed_id, name=path.name, url=feed_server.url(route),
                              lang=path.parent.name))  # fmt: skip
    sync_feeds(db, specs, "config", FIXED_NOW)
    return ids


@pytest.fixture
def loose(db_path: Path) -> Settings:
    return Settings(db_path=db_path, http=HttpSettings(allow_private=True, timeout=10))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Every real feed ingested once into one store, shared by the read-only tests below."""
    if not REALWORLD.is_dir():
        pytest.skip(f"shared real-world feeds not found at {REALWORLD} (only on CI/dev machines)")
    server = FeedServer().start()
    path = tmp_path_factory.mktemp("realworld") / "radar.db"
    database = open_db(path)
    ids = _serve_all(server, database, REALWORLD)
    settings = Settings(db_path=path, http=HttpSettings(allow_private=True, timeout=10))
    summary = run_fetch(database, settings, lambda: FIXED_NOW, everything=True)
    yield database, ids, summary, settings
    database.close()
    server.stop()


def test_every_real_feed_yields_items_or_a_readable_error(ingested) -> None:  # type: ignore[no-untyped-def]
    db, ids, summary, _ = ingested
    assert summary.feeds == len(ids) >= 40
    health = {row["id"]: row for row in feed_health(db)}
    for name, feed_id in ids.items():
        row = health[feed_id]
        assert row["item_count"] > 0 or row["last_error"], name
        if row["last_error"]:
            assert row["last_error"].startswith(("parse:", "fetch:")), row["last_error"]
    assert health["google-cloud-blog-ja"]["last_error"] == (
        "parse: the URL returned an HTML page, not a feed"
    )
    assert health["invalid-characters"]["item_count"] > 0  # gzip bytes without the header
    assert summary.failed == 1


def test_japanese_encodings_decode_to_readable_text(ingested) -> None:  # type: ignore[no-untyped-def]
    db = ingested[0]
    for feed_id in ("tdiary-ishinao", "2ch-top10news", "hatena-bookmark-hotentry-it"):
        titles = [r[0] for r in db.execute("SELECT title FROM items WHERE feed_id = ?", [feed_id])]
        assert titles and any(any("\u3040" <= ch <= "\u30ff" for ch in t) for t in titles)
        assert not any("\ufffd" in t for t in titles), feed_id
        langs = {r[0] for r in db.execute("SELECT lang FROM items WHERE feed_id = ?", [feed_id])}
        assert "ja" in langs


def test_cross_feed_duplicates_become_multi_source_stories(ingested) -> None:  # type: ignore[no-untyped-def]
    db = ingested[0]
    pairs = db.execute(
        "SELECT a.feed_id, b.feed_id, count(*) FROM items a JOIN items b"
        " ON a.story_id = b.story_id AND a.feed_id < b.feed_id GROUP BY 1, 2"
    ).fetchall()
    shared = {(a, b): n for a, b, n in pairs}
    assert shared[("hatena-bookmark-hotentry-it", "itmedia-aiplus")] == 3
    assert shared[("hatena-bookmark-hotentry-it", "zenn-trend")] == 2


def test_ingesting_twice_adds_nothing(ingested) -> None:  # type: ignore[no-untyped-def]
    db, _, _, settings = ingested
    before = db.execute("SELECT count(*), count(DISTINCT story_id) FROM items").fetchone()
    again = run_fetch(db, settings, lambda: FIXED_NOW, everything=True)
    after = db.execute("SELECT count(*), count(DISTINCT story_id) FROM items").fetchone()
    assert again.new_items == 0 and before == after


def test_later_snapshot_of_a_feed_adds_exactly_its_new_entry(
    realworld, feed_server, db, loose
) -> None:  # type: ignore[no-untyped-def]
    first = (realworld / "ja" / "qiita-tag-mastodon__2017-06-25a.atom").read_bytes()
    second = (realworld / "ja" / "qiita-tag-mastodon__2017-06-25b.atom").read_bytes()
    feed_server.routes["/qiita"] = Route(body=first)
    sync_feeds(db, [FeedSpec(id="qiita", name="Qiita", url=feed_server.url("/qiita"))], "config",
               FIXED_NOW)  # fmt: skip
    assert run_fetch(db, loose, lambda: FIXED_NOW, everything=True).new_items == 19
    feed_server.routes["/qiita"] = Route(body=second)
    assert run_fetch(db, loose, lambda: FIXED_NOW, everything=True).new_items == 1


def test_real_items_carry_technologies_quadrant_and_relevance(ingested, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from radar.classify.linking import link_store
    from radar.classify.retrain import score_store
    from radar.taxonomy.load import load_taxonomy

    db = ingested[0]
    taxonomy = load_taxonomy()
    link_store(db, taxonomy)
    assert score_store(db, taxonomy, tmp_path / "no-models", FIXED_NOW) == "rules"
    items, scored, linked = db.execute(
        "SELECT count(*), (SELECT count(*) FROM scores),"
        " (SELECT count(DISTINCT item_id) FROM mentions) FROM items"
    ).fetchone()
    assert scored == items
    assert linked > 0.1 * items  # tech news mentions known technologies often
    by_feed = dict(
        db.execute(
            "SELECT i.feed_id, count(DISTINCT m.item_id) FROM items i"
            " JOIN mentions m ON m.item_id = i.id GROUP BY i.feed_id"
        ).fetchall()
    )
    assert by_feed.get("itmedia-aiplus", 0) >= 5 and by_feed.get("the-register-headlines", 0) >= 5
