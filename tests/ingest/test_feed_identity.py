"""A feed is known by its address: OPML imports and `feeds add` never merge feeds by title.

Every OPML outline gets an answer (added, already present, refused with why), and a hostile
or huge OPML file costs one line of error, never a traceback or a flood of feeds.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest
from feeds import numbered, rss
from feedserver import Route

from radar.config import Settings
from radar.errors import ConfigError, FetchError
from radar.ingest import opml_import
from radar.ingest.opml_import import import_opml
from radar.ingest.sources import MAX_OPML_OUTLINES, feed_label, read_opml, to_opml
from radar.ingest.subscribe import subscribe
from radar.records import FeedSpec
from radar.store.feeds import feed_health, sync_feeds
from tests.conftest import FIXED_NOW


def _opml(body: str) -> bytes:
    return f'<?xml version="1.0"?><opml version="2.0"><head/><body>{body}</body></opml>'.encode()


def _outline(text: str, url: str) -> str:
    return f'<outline text="{text}" xmlUrl="{url}"/>'


def _feeds(db) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {row["id"]: (row["name"], row["url"]) for row in feed_health(db)}


def _import(db, data: bytes, settings: Settings, **options):  # type: ignore[no-untyped-def]
    return import_opml(db, data, settings, FIXED_NOW, allow_private=True, **options)


def test_outlines_sharing_a_title_become_separate_feeds(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    data = _opml(
        _outline("News", "https://a.example/feed") + _outline("News", "https://b.example/rss")
    )

    results = _import(db, data, settings)

    assert [(r.status, r.feed_id) for r in results] == [("added", "news"), ("added", "news-2")]
    assert _feeds(db) == {
        "news": ("News", "https://a.example/feed"),
        "news-2": ("News", "https://b.example/rss"),
    }


def test_one_address_listed_twice_is_one_feed_whatever_its_spelling(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    data = _opml(
        _outline("Blog", "https://example.org/feed")
        + _outline("Blog (again)", "http://WWW.Example.org/feed#top")
        + _outline("Other", "https://example.org/feed?utm_source=reader")
    )

    results = _import(db, data, settings)

    assert [(r.status, r.feed_id, r.reason) for r in results] == [
        ("added", "blog", None),
        ("present", "blog", "same feed as outline 1"),
        ("present", "blog", "same feed as outline 1"),
    ]
    assert list(_feeds(db)) == ["blog"]


def test_reimport_changes_nothing_and_says_every_outline_is_present(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    data = _opml(
        _outline("News", "https://a.example/feed") + _outline("News", "https://b.example/rss")
    )
    _import(db, data, settings)
    before = _feeds(db)

    again = _import(db, data, settings)

    assert [(r.status, r.feed_id, r.reason) for r in again] == [
        ("present", "news", "already subscribed"),
        ("present", "news-2", "already subscribed"),
    ]
    assert _feeds(db) == before


def test_a_configured_feed_keeps_its_id_and_address(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    # A store as the previous release left it: a feeds.yaml feed whose id is its name's slug.
    sync_feeds(db, [FeedSpec("news", "News", "https://config.example/feed")], "config", FIXED_NOW)
    data = _opml(
        _outline("News", "https://opml.example/feed")
        + _outline("Renamed", "https://config.example/feed")
    )

    results = _import(db, data, settings)

    assert [(r.status, r.feed_id) for r in results] == [("added", "news-2"), ("present", "news")]
    assert _feeds(db)["news"] == ("News", "https://config.example/feed")
    assert _feeds(db)["news-2"] == ("News", "https://opml.example/feed")


def test_a_feed_named_later_in_feeds_yaml_never_takes_over_an_imported_feed(
    db, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    _import(db, _opml(_outline("News", "https://opml.example/feed")), settings)
    configured = FeedSpec("news", "News", "https://config.example/feed")

    first = sync_feeds(db, [configured], "config", FIXED_NOW)
    again = sync_feeds(db, [configured], "config", FIXED_NOW)

    assert (first, again) == (1, 0)
    assert _feeds(db) == {
        "news": ("News", "https://opml.example/feed"),
        "news-config": ("News", "https://config.example/feed"),
    }


def test_every_outline_is_reported_in_order_with_why_it_was_refused(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    data = _opml(
        '<outline text="Folder">'
        + _outline("Good", "https://good.example/feed")
        + _outline("Bracket", "http://[::1/ok")
        + "</outline>"
        + _outline("Port", "http://a.example:99999/x")
        + _outline("File", "file:///etc/passwd")
        + _outline("Empty", "")
        + _outline("Spaces", "https://a.example/my feed")
        + _outline("Long label", "https://" + "a" * 70 + ".example/feed")
        + _outline("Loopback", "http://127.0.0.1:9/feed")
        + _outline("Loopback again", "http://127.0.0.1:9/feed")
        + _outline("IPv6 loopback", "http://[::1]:9/feed")
        + '<outline text="A web site" htmlUrl="https://site.example/"/>'
    )

    results = import_opml(db, data, settings, FIXED_NOW, allow_private=False)

    assert [r.outline for r in results] == list(range(1, 12))
    outcome = {r.name: (r.status, r.reason or "") for r in results}
    assert outcome["Good"][0] == "added"
    assert outcome["Bracket"] == ("refused", "not a valid URL (Invalid IPv6 URL)")
    assert outcome["Port"] == ("refused", "not a valid URL (Port out of range 0-65535)")
    assert outcome["File"] == ("refused", "not an http(s) URL")
    assert outcome["Empty"] == ("refused", "no feed URL")
    assert outcome["Spaces"] == ("refused", "spaces or control characters in the URL")
    assert outcome["Long label"] == ("refused", "not a valid host name")
    assert outcome["Loopback"][0] == "refused" and "private address" in outcome["Loopback"][1]
    assert outcome["Loopback again"][0] == "refused"
    assert outcome["Loopback again"][1].startswith("same feed as outline 8, refused:")
    assert outcome["IPv6 loopback"][0] == "refused" and "::1" in outcome["IPv6 loopback"][1]
    assert outcome["A web site"] == ("refused", "no xmlUrl: not a feed")
    assert list(_feeds(db)) == ["good"]
    assert next(r for r in results if r.name == "Good").url == "https://good.example/feed"


def test_folders_become_tags_and_titles_lose_control_sequences(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    data = _opml(
        '<outline text="Tech"><outline title="Cloud">'
        + _outline("Feed [/bold] title\tnext line", "https://a.example/feed")
        + "</outline></outline>"
    )

    [outline] = read_opml(data)
    _import(db, data, settings)

    assert outline.tags == ("Tech", "Cloud")
    assert outline.name == "Feed [/bold] title next line"
    assert feed_label("News \x1b[2J\x1b]0;owned\x07now\x9b") == "News now"


def test_more_outlines_than_the_limit_are_refused_whole_unless_the_limit_is_raised(
    db, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    over = _opml("".join(_outline(f"F{i}", f"https://f{i}.example/") for i in range(2_001)))
    five = _opml("".join(_outline(f"F{i}", f"https://f{i}.example/") for i in range(5)))

    with pytest.raises(ConfigError, match=r"more than 2,000 outlines.*--max-feeds"):
        _import(db, over, settings)
    with pytest.raises(ConfigError, match="more than 4 outlines"):
        _import(db, five, settings, max_outlines=4)
    assert _feeds(db) == {}
    assert len(_import(db, five, settings, max_outlines=5)) == 5
    assert MAX_OPML_OUTLINES == 2_000


def test_five_thousand_nested_folders_refuse_the_deep_feed_only(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    deep = (
        '<outline text="f">' * 5_000
        + _outline("Deep", "https://deep.example/")
        + "</outline>" * 5_000
    )
    data = _opml(deep + _outline("Shallow", "https://shallow.example/"))

    results = _import(db, data, settings)

    assert [(r.name, r.status) for r in results] == [("Deep", "refused"), ("Shallow", "added")]
    assert results[0].reason == "nested 5000 folders deep (at most 32)"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (  # billion laughs: entities that expand to gigabytes
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<opml><body><outline text="&c;" xmlUrl="https://a.example/"/></body></opml>',
            "entity declarations",
        ),
        (  # an external entity reading a local file
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>',
            "entity declarations",
        ),
        (b"<rss><channel/></rss>", "not <opml>"),
        (b"<opml><head/></opml>", "no <opml><body>"),
        (b"<opml><body><outline", "not valid XML"),
        (b"", "not valid XML"),
    ],
)
def test_hostile_or_broken_files_are_one_error_and_add_nothing(
    db, settings: Settings, document: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match=message):
        _import(db, document, settings)
    assert _feeds(db) == {}


def test_export_reads_back_as_the_same_feeds(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    text = to_opml(
        [("News \x1b[2J", "https://a.example/feed", None), ("News", "https://b.example/", None)]
    )

    outlines = read_opml(text.encode())

    assert [(o.name, o.url) for o in outlines] == [
        ("News", "https://a.example/feed"),
        ("News", "https://b.example/"),
    ]


def test_feeds_added_by_hand_sharing_a_title_are_separate_and_an_address_is_added_once(
    db, settings: Settings, feed_server
) -> None:  # type: ignore[no-untyped-def]
    feed_server.routes["/a.xml"] = Route(body=rss(numbered(1), title="Local news"))
    feed_server.routes["/b.xml"] = Route(body=rss(numbered(1), title="Local news"))
    feed_server.routes["/c.xml"] = Route(
        body=rss(numbered(1), title="Bad \x1b[2J\x1b]0;t\x07 [/x]")
    )

    def clock():  # type: ignore[no-untyped-def]
        return FIXED_NOW

    first = subscribe(db, feed_server.url("/a.xml"), settings, clock)
    second = subscribe(db, feed_server.url("/b.xml"), settings, clock)
    hostile = subscribe(db, feed_server.url("/c.xml"), settings, clock)
    with pytest.raises(ConfigError, match=r"already subscribed \(feed id local-news\)"):
        subscribe(db, feed_server.url("/a.xml") + "#again", settings, clock)

    assert (first.id, second.id) == ("local-news", "local-news-2")
    assert _feeds(db)["local-news-2"] == ("Local news", feed_server.url("/b.xml"))
    assert hostile.name == "Bad [/x]" and _feeds(db)[hostile.id][0] == "Bad [/x]"


def test_the_private_address_rule_still_applies_to_opml(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    strict = replace(settings, http=replace(settings.http, allow_private=False))
    data = _opml(
        _outline("Router", "http://10.0.0.1/feed") + _outline("Meta", "http://169.254.169.254/")
    )

    results = import_opml(db, data, strict, FIXED_NOW)

    assert [r.status for r in results] == ["refused", "refused"]
    assert _feeds(db) == {}


def test_a_slow_resolver_cannot_hold_an_import_past_its_budget(
    db, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    async def resolver(url: str) -> None:  # a name server that never answers for one host
        if "slow.example" in url:
            await asyncio.sleep(30)
        if "gone.example" in url:
            raise FetchError("fetch: cannot resolve gone.example")

    monkeypatch.setattr(opml_import, "ensure_public", resolver)
    strict = replace(settings, http=replace(settings.http, allow_private=False))
    data = _opml(
        _outline("Slow", "https://slow.example/a")
        + _outline("Slow too", "https://slow.example/b")
        + _outline("Gone", "https://gone.example/feed")
        + _outline("Fine", "https://fine.example/feed")
    )
    started = time.monotonic()

    results = import_opml(db, data, strict, FIXED_NOW, check_seconds=0.3)

    assert time.monotonic() - started < 5
    assert [(r.status, r.reason) for r in results] == [
        ("added", "address not checked within 0.3 s; every fetch checks it"),
        ("added", "address not checked within 0.3 s; every fetch checks it"),
        ("added", "host not found today; every fetch tries again"),
        ("added", None),
    ]
