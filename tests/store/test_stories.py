"""Story grouping: the same article across feeds is one story, different articles never are,
and inserting a big feed stays fast and leaves the write lock free for staff in between."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from feeds import numbered, rss
from feedserver import Route

from radar.config import HttpSettings, Settings
from radar.ingest import pipeline
from radar.ingest.pipeline import run_fetch
from radar.records import FeedSpec, Item
from radar.store import bulk
from radar.store.db import open_db
from radar.store.feeds import sync_feeds
from radar.store.items import insert_items
from radar.store.labels import set_tag
from radar.stories import normalise_title, title_distance

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
_NAMES = (
    "Kubernetes", "Postgres", "Terraform", "Grafana", "Prometheus", "Wireshark", "Blender",
    "Inkscape", "Jenkins", "Ansible", "Elasticsearch", "Cassandra", "Redis", "Firefox",
    "Chromium", "LibreOffice", "Thunderbird", "Nextcloud", "Mastodon", "Matrix", "Django",
    "Flask", "Rails", "Laravel", "Symfony", "Angular", "Svelte", "Vue", "React", "Ember",
    "Kafka", "Spark", "Hadoop", "Airflow", "Dagster", "Prefect", "Pulumi", "Crossplane",
    "Istio", "Linkerd", "Envoy", "Traefik", "Caddy", "Nginx", "HAProxy", "Varnish", "Squid",
    "OpenSSL", "WireGuard", "Tailscale",
)  # fmt: skip


def _feeds(db, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    specs = [FeedSpec(id=name, name=name, url=f"https://{name}.example/feed") for name in names]
    sync_feeds(db, specs, "config", NOW)


def _item(feed: str, n: int, title: str, hours: int = 0) -> Item:
    url = f"https://{feed}.example/{n}"
    return Item(
        key=f"l:{url}", guid=None, link=url, canonical_url=url, title=title, summary_html="",
        summary_text="", published=NOW - timedelta(hours=hours), date_missing=False, lang="en",
    )  # fmt: skip


def _stories(db) -> dict[int, set[str]]:  # type: ignore[no-untyped-def]
    """Story id -> the titles of its items."""
    grouped: dict[int, set[str]] = {}
    for story_id, title in db.execute("SELECT story_id, title FROM items"):
        grouped.setdefault(story_id, set()).add(title)
    return grouped


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ｇｏｖｅｒｎｍｅｎｔ Cloud goes live!", "government cloud goes live"),
        ("Example launches a new database", "Example launches new database"),
        ("Rust 1.90 brings faster builds", "Rust 1.90 brings faster build"),
        ("デジタル庁、クラウドの利用を拡大", "デジタル庁 クラウドの利用を拡大。"),
    ],
)
def test_a_headline_reposted_with_small_differences_is_the_same_story(a: str, b: str) -> None:
    assert title_distance(normalise_title(a), normalise_title(b)) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Release notes for Terraform 1.14.1", "Release notes for Terraform 1.14.2"),
        ("Grafana team ships the new storage engine", "Jenkins team ships the new storage engine"),
        ("Go live", "Go live"),  # too short to trust
    ],
)
def test_different_articles_of_one_series_are_different_stories(a: str, b: str) -> None:
    assert title_distance(normalise_title(a), normalise_title(b)) is None


def test_near_titles_never_chain_into_one_story(db) -> None:  # type: ignore[no-untyped-def]
    # Each title is two characters from the previous one, but the last is far from the first.
    titles = ["Cloud update for the city council", "Cloud update for the city councils",
              "Cloud updates for the city councils", "Cloud updates for a city councils",
              "Cloud updates for a city councillors"]  # fmt: skip
    _feeds(db, [f"f{n}" for n in range(len(titles))])
    for n, title in enumerate(titles):
        insert_items(db, f"f{n}", [_item(f"f{n}", n, title)], NOW)

    grouped = sorted(_stories(db).values(), key=len)
    assert titles[0] in grouped[-1] and titles[-1] not in grouped[-1]
    assert len(grouped) >= 2


def test_ten_thousand_headlines_sharing_an_opening_group_correctly_and_quickly(db) -> None:  # type: ignore[no-untyped-def]
    """Two feeds carry the same 5,000 release notes; each pair is one story, no two merge."""
    _feeds(db, ["alpha", "beta"])
    titles = [f"Release notes: {_NAMES[n % 50]} {n // 50}.{n % 7} is out" for n in range(5000)]
    alpha = [_item("alpha", n, t, hours=n % 48) for n, t in enumerate(titles)]
    beta = [_item("beta", n, t.upper() + "!", hours=n % 48 + 1) for n, t in enumerate(titles)]

    began = time.perf_counter()
    assert insert_items(db, "alpha", alpha, NOW) == 5000
    assert insert_items(db, "beta", beta, NOW) == 5000
    elapsed = time.perf_counter() - began

    grouped = _stories(db)
    assert len(grouped) == 5000
    assert all(len(titles) == 2 for titles in grouped.values())
    sources = db.execute("SELECT min(n_sources), max(n_sources), sum(n_items) FROM stories")
    assert sources.fetchone() == (2, 2, 10000)
    assert elapsed < 60, f"10,000 items took {elapsed:.1f} s"  # was minutes, quadratic


def test_distinct_articles_sharing_most_words_across_forty_feeds_stay_distinct(db) -> None:  # type: ignore[no-untyped-def]
    feeds = [f"site{n}" for n in range(40)]
    _feeds(db, feeds)
    pairs = [(a, b) for a in _NAMES for b in _NAMES if a != b][:2000]
    for n, feed in enumerate(feeds):
        chunk = pairs[n * 50 : (n + 1) * 50]
        items = [_item(feed, i, f"{a} and {b} teams ship the shared platform update")
                 for i, (a, b) in enumerate(chunk)]  # fmt: skip
        insert_items(db, feed, items, NOW)

    assert len(_stories(db)) == 2000


def test_reinserting_and_resuming_an_interrupted_insert_never_duplicates(
    db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bulk, "BATCH", 100)
    _feeds(db, ["alpha", "beta"])
    items = [_item("alpha", n, f"Weekly report {n} on the cloud programme") for n in range(450)]

    def interrupted() -> Iterator[Item]:
        yield from items[:250]
        raise OSError("connection reset mid-feed")

    with pytest.raises(OSError):
        insert_items(db, "alpha", interrupted(), NOW)
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 200  # whole batches kept
    assert insert_items(db, "alpha", items, NOW) == 250
    assert insert_items(db, "alpha", items, NOW) == 0
    assert insert_items(db, "beta", [_item("beta", 0, items[7].title)], NOW) == 1

    counts = db.execute("SELECT count(*), count(DISTINCT story_id) FROM items").fetchone()
    assert counts == (451, 450)
    assert db.execute("SELECT sum(n_items), max(n_sources) FROM stories").fetchone() == (451, 2)


def test_staff_can_tag_while_a_big_feed_is_being_stored(
    feed_server, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bulk, "BATCH", 400)
    monkeypatch.setattr(pipeline, "BATCH", 400)
    total = 4000
    feed_server.routes["/big.xml"] = Route(body=rss(numbered(total, prefix="Release")))
    settings = Settings(
        db_path=db_path, http=HttpSettings(allow_private=True, max_body_bytes=20_000_000)
    )
    fetcher_db, staff_db = open_db(db_path), open_db(db_path)
    sync_feeds(fetcher_db, [FeedSpec(id="big", name="Big", url=feed_server.url("/big.xml"))],
               "config", NOW)  # fmt: skip
    fetched: list[int] = []
    fetch = threading.Thread(
        target=lambda: fetched.append(run_fetch(fetcher_db, settings, lambda: NOW).new_items)
    )
    fetch.start()
    deadline = time.monotonic() + 60
    while staff_db.execute("SELECT count(*) FROM items").fetchone()[0] == 0:
        assert time.monotonic() < deadline and fetch.is_alive(), "the feed was never stored"
        time.sleep(0.01)

    began = time.perf_counter()
    first = staff_db.execute("SELECT min(id) FROM items").fetchone()[0]
    set_tag(staff_db, first, by="staff", now=NOW, relevant=True)
    waited = time.perf_counter() - began
    stored_meanwhile = staff_db.execute("SELECT count(*) FROM items").fetchone()[0]
    fetch.join(60)

    assert stored_meanwhile < total, "the tag waited for the whole feed"
    assert waited < 5
    assert fetched == [total]
    assert staff_db.execute("SELECT relevant FROM tags WHERE item_id = ?", [first]).fetchone()[0]
    fetcher_db.close()
    staff_db.close()
