"""Fetching over real HTTP from a local server: every status and failure a feed can show."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from feeds import numbered, rss
from feedserver import Route

from radar.config import Settings
from radar.errors import BlockedAddressError
from radar.ingest.fetch import ensure_public, is_public_address
from radar.ingest.pipeline import run_fetch
from radar.records import FeedSpec
from radar.store.feeds import feed_health, fetch_log, sync_feeds
from radar.store.items import ItemQuery, query_items
from radar.timefmt import from_iso
from tests.conftest import FIXED_NOW


def _add(db, server, *paths: str) -> None:  # type: ignore[no-untyped-def]
    specs = [FeedSpec(id=p.strip("/").replace("/", "-"), name=p, url=server.url(p)) for p in paths]
    sync_feeds(db, specs, "config", FIXED_NOW)


def _health(db) -> dict:  # type: ignore[no-untyped-def]
    return {row["id"]: row for row in feed_health(db)}


def _fetch(db, settings: Settings):  # type: ignore[no-untyped-def]
    return run_fetch(db, settings, lambda: FIXED_NOW, everything=True)


def test_new_items_are_stored_once_even_when_fetched_again(feed_server, db, settings) -> None:
    feed_server.routes["/a"] = Route(body=rss(numbered(5)))
    _add(db, feed_server, "/a")
    first = _fetch(db, settings)
    second = _fetch(db, settings)
    assert (first.ok, first.new_items) == (1, 5)
    assert second.new_items == 0
    assert len(query_items(db, ItemQuery())) == 5


def test_etag_is_sent_back_and_304_counts_as_not_modified(feed_server, db, settings) -> None:
    feed_server.routes["/a"] = Route(body=rss(numbered(3)), etag='"v1"')
    _add(db, feed_server, "/a")
    _fetch(db, settings)
    summary = _fetch(db, settings)
    assert summary.not_modified == 1
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert [row["outcome"] for row in fetch_log(db, "a")] == ["not_modified", "ok"]


def test_unchanged_body_without_validators_is_not_parsed_again(feed_server, db, settings) -> None:
    feed_server.routes["/a"] = Route(body=rss(numbered(3)))
    _add(db, feed_server, "/a")
    _fetch(db, settings)
    assert _fetch(db, settings).not_modified == 1


@pytest.mark.parametrize(("status", "moves"), [(301, True), (308, True), (302, False)])
def test_permanent_redirect_updates_the_stored_url(
    feed_server, db, settings, status: int, moves: bool
) -> None:
    feed_server.routes["/old"] = Route(status=status, headers={"Location": "/new"})
    feed_server.routes["/new"] = Route(body=rss(numbered(2)))
    _add(db, feed_server, "/old")
    summary = _fetch(db, settings)
    assert summary.new_items == 2
    url = _health(db)["old"]["url"]
    assert url.endswith("/new") is moves


def test_gone_feed_is_disabled_but_still_listed(feed_server, db, settings) -> None:
    feed_server.routes["/gone"] = Route(status=410, body=b"gone")
    _add(db, feed_server, "/gone")
    summary = _fetch(db, settings)
    row = _health(db)["gone"]
    assert summary.failed == 1
    assert row["enabled"] == 0 and "410" in row["disabled_reason"]
    assert _fetch(db, settings).feeds == 0  # disabled feeds are not polled


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(feed_server, db, settings, status: int) -> None:
    feed_server.routes["/busy"] = Route(status=status, headers={"Retry-After": "7200"})
    _add(db, feed_server, "/busy")
    _fetch(db, settings)
    row = _health(db)["busy"]
    assert from_iso(row["next_due_at"]) >= FIXED_NOW + timedelta(seconds=7200)
    assert str(status) in row["last_error"]


def test_one_broken_feed_does_not_stop_the_others(feed_server, db, settings) -> None:
    feed_server.routes["/bad"] = Route(status=500, body=b"boom")
    feed_server.routes["/good"] = Route(body=rss(numbered(4)))
    _add(db, feed_server, "/bad", "/good")
    summary = _fetch(db, settings)
    health = _health(db)
    assert (summary.ok, summary.failed, summary.new_items) == (1, 1, 4)
    assert health["bad"]["error_count"] == 1 and "500" in health["bad"]["last_error"]
    assert next(iter(health)) == "bad"  # broken feeds are listed first


def test_slow_server_times_out_with_a_clear_error(feed_server, db, settings) -> None:
    feed_server.routes["/slow"] = Route(body=rss(numbered(1)), delay=2.5)
    _add(db, feed_server, "/slow")
    summary = _fetch(db, settings)
    assert summary.failed == 1
    assert "timed out" in summary.errors["slow"] or "no complete answer" in summary.errors["slow"]


def test_oversized_body_is_cut_off_and_nothing_is_stored(feed_server, db, settings) -> None:
    big = rss(numbered(3000))
    assert len(big) > settings.http.max_body_bytes
    feed_server.routes["/huge"] = Route(body=big)
    feed_server.routes["/huge-chunked"] = Route(body=big, gzip=True)
    _add(db, feed_server, "/huge", "/huge-chunked")
    summary = _fetch(db, settings)
    assert summary.failed == 2
    assert all("limit" in error for error in summary.errors.values())
    assert query_items(db, ItemQuery()) == []


def test_gzip_encoded_feed_is_read(feed_server, db, settings) -> None:
    feed_server.routes["/gz"] = Route(body=rss(numbered(3)), gzip=True)
    _add(db, feed_server, "/gz")
    assert _fetch(db, settings).new_items == 3


def test_charset_from_the_document_and_the_header(feed_server, db, settings) -> None:
    items = [{"title": "ガバメントクラウドへの移行が進む", "guid": "sj1", "link": "https://e.jp/1"}]
    feed_server.routes["/sjis"] = Route(
        body=rss(items, encoding="shift_jis"), headers={"Content-Type": "application/xml"}
    )
    latin = rss([{"title": "Notícias de tecnologia", "guid": "l1"}], encoding="utf-8")
    feed_server.routes["/latin"] = Route(
        body=latin.replace(b'encoding="utf-8"', b"").decode().encode("latin-1"),
        headers={"Content-Type": "text/xml; charset=iso-8859-1"},
    )
    feed_server.routes["/nocharset"] = Route(body=rss(numbered(1)))
    _add(db, feed_server, "/sjis", "/latin", "/nocharset")
    summary = _fetch(db, settings)
    titles = {row["title"] for row in query_items(db, ItemQuery())}
    assert summary.failed == 0
    assert "ガバメントクラウドへの移行が進む" in titles
    assert "Notícias de tecnologia" in titles


def test_html_page_instead_of_a_feed_is_a_readable_error(feed_server, db, settings) -> None:
    page = b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>hi</p></body></html>"
    feed_server.routes["/page"] = Route(body=page, headers={"Content-Type": "text/html"})
    _add(db, feed_server, "/page")
    summary = _fetch(db, settings)
    assert summary.failed == 1
    assert "HTML page" in _health(db)["page"]["last_error"]


def test_empty_feed_is_fine_and_stores_nothing(feed_server, db, settings) -> None:
    feed_server.routes["/empty"] = Route(body=rss([]))
    _add(db, feed_server, "/empty")
    summary = _fetch(db, settings)
    assert (summary.ok, summary.failed, summary.new_items) == (1, 0, 0)


def test_feed_ttl_only_lengthens_the_interval(feed_server, db, settings) -> None:
    feed_server.routes["/ttl"] = Route(body=rss(numbered(1), extra="<ttl>240</ttl>"))
    feed_server.routes["/short"] = Route(body=rss(numbered(1), extra="<ttl>5</ttl>"))
    _add(db, feed_server, "/ttl", "/short")
    _fetch(db, settings)
    health = _health(db)
    assert health["ttl"]["effective_interval"] == 240
    assert health["short"]["effective_interval"] == 60


def test_user_agent_names_the_product(feed_server, db, settings) -> None:
    feed_server.routes["/a"] = Route(body=rss(numbered(1)))
    _add(db, feed_server, "/a")
    _fetch(db, settings)
    assert "TrendRadar" in feed_server.requests[0][1]["User-Agent"]


@pytest.mark.parametrize(
    ("address", "public"),
    [("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("169.254.1.1", False),
     ("::1", False), ("::ffff:127.0.0.1", False), ("8.8.8.8", True), ("2606:4700::1111", True)],
)  # fmt: skip
def test_private_addresses_are_recognised(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_loopback_feed_is_refused_without_allow_private(feed_server, db, settings) -> None:
    feed_server.routes["/a"] = Route(body=rss(numbered(1)))
    _add(db, feed_server, "/a")
    strict = Settings(db_path=settings.db_path)
    summary = _fetch(db, strict)
    assert summary.failed == 1 and "private address" in summary.errors["a"]
    with pytest.raises(BlockedAddressError):
        asyncio.run(ensure_public("http://localhost/feed"))
