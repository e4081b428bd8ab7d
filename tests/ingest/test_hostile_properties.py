"""Property-based tests (Hypothesis): parsers of outside text never raise and stay in bounds.

The URL canonicaliser, the feed date reader and the header readers (Cache-Control,
Retry-After, ttl, the interval built from them) see whatever servers send; the store sees
whatever feeds hold. Examples are small and few so the file runs in seconds.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import pytest
from feedserver import FeedServer, Route
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from radar.config import HttpSettings, Settings
from radar.ingest.parse import parse_feed
from radar.ingest.pipeline import run_fetch
from radar.ingest.schedule import (
    MAX_HINT_MINUTES,
    MAX_HINT_SECONDS,
    effective_interval,
    next_due,
    parse_max_age,
    parse_retry_after,
    parse_ttl,
)
from radar.records import FeedSpec
from radar.store.db import open_db
from radar.store.feeds import sync_feeds
from radar.urls import canonical_url, resolve, strip_tracking, web_url

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
FAST = settings(max_examples=200, deadline=None, database=None)
SLOW = settings(
    max_examples=12, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip

# --- strategies ------------------------------------------------------------------------------

SCHEMES = ["http", "https", "HTTPS", "hTtP", "javascript", "JaVaScRiPt", " javascript",
           "java\tscript", "java\nscript", "vbscript", "data", "file", "ftp", "mailto",
           ""]  # fmt: skip
SEPARATORS = ["://", ":", ":///", "//", ":\\\\", ""]
HOSTS = ["example.org", "www.Example.ORG", "[::1]", "[::1", "::1]", "[fe80::1%eth0]",
         "a.example:99999", "a.example:-1", "a.example:port", "a.example:0", "a.example:443",
         "例え.jp", "xn--r8jz45g.jp", "ex ample.org", "user:pw@host.example", "%00", "",
         "a.example:" + "9" * 40, "127.0.0.1:80"]  # fmt: skip
PATH_TEXT = st.text(max_size=12)
QUERIES = ["", "?utm_source=x&id=1", "?a=1&a=2", "?%zz", "?=&&=", "#frag", "?utm_=\x00"]

shaped_urls = st.builds(
    lambda s, sep, h, p, q: f"{s}{sep}{h}/{p}{q}",
    st.sampled_from(SCHEMES), st.sampled_from(SEPARATORS), st.sampled_from(HOSTS),
    PATH_TEXT, st.sampled_from(QUERIES),
)  # fmt: skip
urls = st.one_of(st.text(max_size=40), shaped_urls)
NON_WEB_SCHEMES = ["javascript:", "JavaScript:", "  jAvAsCrIpT:", "vbscript:", "data:",
                   "DATA:", "file:", "ftp:", "blob:", "about:"]  # fmt: skip
digits = st.text(alphabet="0123456789", min_size=1, max_size=500)
aware_datetimes = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)
http_dates = aware_datetimes.map(lambda d: format_datetime(d, usegmt=True))
header_values = st.one_of(
    st.text(max_size=30),
    digits,
    digits.map(lambda d: f"max-age={d}"),
    digits.map(lambda d: f'public, max-age="{d}", must-revalidate'),
    st.sampled_from(["-1", "1.5", "²", "١٢", "0x10", "1e400", "inf", "nan", " 30 "]),
    http_dates,
)


# --- URLs ------------------------------------------------------------------------------------


@FAST
@given(urls)
def test_web_url_gives_only_readable_http_links(url: str) -> None:
    result = web_url(url)
    if result:
        parts = urlsplit(result)
        assert parts.scheme.lower() in ("http", "https") and parts.hostname
        assert parts.port is None or 0 <= parts.port <= 65535
        assert result == result.strip() and not any(c in result for c in "\x00\t\n\x1b\x85")


@FAST
@given(st.sampled_from(NON_WEB_SCHEMES), st.text(max_size=30))
def test_no_script_or_other_scheme_is_ever_a_web_link(scheme: str, rest: str) -> None:
    assert web_url(scheme + rest) == ""


@FAST
@given(urls, st.sampled_from(["https://feed.example/rss", "http://[::1]:8080/a/b", ""]))
@example("http://example.invalid:99999/a", "")  # issue 12: ValueError, port out of range
@example("http://[::1/a", "")  # issue 12: ValueError, invalid IPv6 URL
@example("HTTP://0:443", "")  # a default port under the other scheme: one spelling
def test_canonicalising_never_raises_and_is_stable(url: str, base: str) -> None:
    resolve(url, base)
    strip_tracking(url)
    canonical = canonical_url(url)
    if web_url(url):
        assert canonical.startswith("https://")
        assert canonical_url(canonical) == canonical
        assert "utm_" not in urlsplit(canonical).query


# --- dates -----------------------------------------------------------------------------------

rfc822_odd_zones = st.builds(
    lambda d, off: d.strftime("%a, %d %b %Y %H:%M:%S ") + off, aware_datetimes,
    st.sampled_from(["+0900", "-2400", "+9999", "GMT", "JST", "XYZ", ""]),
)  # fmt: skip
date_texts = st.one_of(
    st.text(max_size=40), http_dates, aware_datetimes.map(lambda d: d.isoformat()),
    rfc822_odd_zones,
)  # fmt: skip


@FAST
@given(date_texts)
def test_feed_dates_are_utc_and_believable_or_missing(text: str) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
        f"<title>t</title><link>https://ok.example/</link><pubDate>{escape(text)}</pubDate>"
        "</item></channel></rss>"
    ).encode("utf-8", "surrogatepass")
    (item,) = parse_feed(body, "https://feed.example/", NOW).items
    assert item.published.tzinfo is not None and item.published.utcoffset() == timedelta(0)
    assert datetime(1970, 1, 1, tzinfo=UTC) <= item.published <= NOW + timedelta(days=1)
    assert not item.date_missing or item.published == NOW


# --- headers ---------------------------------------------------------------------------------


@FAST
@given(header_values)
@example("max-age=" + "9" * 400)  # issue 12: infinity, then NaN in effective_interval
@example("9" * 400)  # issue 12: OverflowError in int(retry)
@example("²")  # a digit to str.isdigit, not to int()
def test_header_readers_never_raise_and_stay_in_bounds(value: str) -> None:
    max_age = parse_max_age(value)
    retry = parse_retry_after(value, NOW)
    ttl = parse_ttl(value)
    assert max_age is None or 0 <= max_age <= MAX_HINT_SECONDS
    assert retry is None or 0 <= retry <= MAX_HINT_SECONDS
    assert ttl is None or 0 <= ttl <= MAX_HINT_MINUTES


@FAST
@given(
    st.integers(1, 7 * 24 * 60),
    st.one_of(st.none(), st.integers(-(10**30), 10**30)),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    st.integers(0, 10**6),
    st.one_of(st.none(), st.floats(min_value=0, allow_infinity=True, allow_nan=False)),
)
@example(60, None, math.nan, 0, None)
@example(60, 10**30, math.inf, 10**6, math.inf)
def test_intervals_and_due_times_stay_in_bounds(
    configured: int, ttl: int | None, max_age: float | None, errors: int, retry: float | None
) -> None:
    interval = effective_interval(configured, ttl, max_age)
    assert configured <= interval <= max(configured, MAX_HINT_MINUTES)
    due = next_due(NOW, interval, errors, MAX_HINT_MINUTES, retry)
    assert NOW < due <= NOW + timedelta(minutes=max(interval, MAX_HINT_MINUTES))
    assert not math.isnan(interval)


# --- the store: random small feeds in, every item stored once --------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    feed_server = FeedServer().start()
    yield feed_server
    feed_server.stop()


# Any character but surrogates (which no XML document can carry), control characters included.
field_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=25)
entries = st.lists(
    st.tuples(field_text, st.one_of(st.none(), urls), st.one_of(st.none(), date_texts), field_text),
    min_size=1, max_size=6,
)  # fmt: skip


def _doc(items: list[tuple[int, str, str | None, str | None, str]]) -> bytes:
    parts = []
    for n, title, link, date, text in items:
        fields = [f"<title>{escape(title)} #{n}</title>", f'<guid isPermaLink="false">g{n}</guid>']
        if link is not None:
            fields.append(f"<link>{escape(link)}</link>")
        if date is not None:
            fields.append(f"<pubDate>{escape(date)}</pubDate>")
        fields.append(f"<description>{escape(text)}</description>")
        parts.append("<item>" + "".join(fields) + "</item>")
    doc = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>R</title>'
    return (doc + "".join(parts) + "</channel></rss>").encode()


@SLOW
@given(entries)
def test_random_feeds_store_every_item_exactly_once(server: FeedServer, feed) -> None:  # type: ignore[no-untyped-def]
    numbered = [(n, *fields) for n, fields in enumerate(feed)]
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "r.db")
        path = f"/random-{id(feed)}-{len(server.requests)}.xml"
        sync_feeds(db, [FeedSpec(id="random", name="R", url=server.url(path))], "config", NOW)
        run_settings = Settings(db_path=Path(tmp) / "r.db",
                                http=HttpSettings(timeout=2, allow_private=True))  # fmt: skip
        server.routes[path] = Route(body=_doc(numbered))
        first = run_fetch(db, run_settings, lambda: NOW, everything=True)
        server.routes[path] = Route(body=_doc(numbered[::-1]))  # same items, parsed again
        second = run_fetch(db, run_settings, lambda: NOW, everything=True)
        keys = [row[0] for row in db.execute("SELECT key FROM items")]
        links = [row[0] for row in db.execute("SELECT link FROM items")]
        db.close()
    assert (first.failed, second.failed) == (0, 0), first.errors or second.errors
    assert sorted(keys) == sorted(f"g:g{n}" for n in range(len(feed)))
    assert (first.new_items, second.new_items) == (len(feed), 0)
    assert all(link == "" or web_url(link) == link for link in links)
