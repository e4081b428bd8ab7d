"""Parsing cleans what feeds send: links, dates, HTML, language, duplicates within a feed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from radar.errors import ParseError
from radar.ingest.lang import detect_language
from radar.ingest.parse import parse_feed
from radar.urls import canonical_url, strip_tracking
from tests.conftest import FIXED_NOW
from tests.feeds import rss

BASE = "https://news.example.jp/feed.xml"


def _one(item: dict[str, str], **kwargs) -> object:  # type: ignore[no-untyped-def]
    return parse_feed(rss([item]), BASE, FIXED_NOW, **kwargs).items[0]


def test_relative_links_are_resolved_and_tracking_removed() -> None:
    item = _one({"title": "t", "link": "/articles/1?id=7&amp;utm_source=rss&amp;utm_medium=feed"})
    assert item.link == "https://news.example.jp/articles/1?id=7"


def test_feedburner_original_link_wins() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"
      xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><title>F</title>
      <entry><title>Post</title><id>tag:x,1</id><updated>2024-05-01T10:00:00Z</updated>
      <link rel="alternate" href="http://feedproxy.google.com/~r/x/~3/abc/"/>
      <feedburner:origLink>https://blog.example.com/post?utm_campaign=x</feedburner:origLink>
      </entry></feed>"""
    item = parse_feed(atom, BASE, FIXED_NOW).items[0]
    assert item.link == "https://blog.example.com/post"


def test_dates_become_utc_and_missing_dates_are_flagged() -> None:
    dated = _one({"title": "t", "guid": "1", "date": "Tue, 10 Sep 2024 09:00:00 +0900"})
    undated = _one({"title": "u", "guid": "2"})
    assert dated.published == datetime(2024, 9, 10, 0, 0, tzinfo=UTC)
    assert not dated.date_missing
    assert undated.published == FIXED_NOW and undated.date_missing


def test_html_is_sanitised_and_plain_text_kept() -> None:
    item = _one(
        {
            "title": "t",
            "guid": "1",
            "description": "&lt;p onclick='x()'&gt;Hello &lt;b&gt;world&lt;/b&gt;"
            "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/p&gt;",
        }
    )
    assert "script" not in item.summary_html and "onerror" not in item.summary_html
    assert "onclick" not in item.summary_html and "<b>world</b>" in item.summary_html
    assert item.summary_text == "Hello world"


def test_hostile_title_is_kept_as_inert_text() -> None:
    item = _one({"title": "Breaking &lt;img src=x onerror=alert(1)&gt; news", "guid": "1"})
    assert "onerror" not in item.title and item.title.startswith("Breaking")


def test_whitespace_inside_titles_is_collapsed() -> None:
    item = _one({"title": "\n    Spaced   out\n   title  ", "guid": "1"})
    assert item.title == "Spaced out title"


def test_same_entry_twice_in_one_document_is_kept_once() -> None:
    doc = rss([{"title": "a", "guid": "1"}, {"title": "a", "guid": "1"}])
    assert len(parse_feed(doc, BASE, FIXED_NOW).items) == 1


@pytest.mark.parametrize(
    ("item", "prefix"),
    [
        ({"title": "t", "guid": "g1", "link": "https://a/1"}, "g:"),
        ({"title": "t", "link": "https://a/1"}, "l:"),
        ({"title": "t", "date": "Tue, 10 Sep 2024 09:00:00 +0900"}, "t:"),
    ],
)
def test_item_identity_is_guid_then_link_then_title_and_date(item, prefix) -> None:  # type: ignore[no-untyped-def]
    assert _one(item).key.startswith(prefix)


def test_html_page_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="HTML page"):
        parse_feed(b"<!doctype html><html><body>x</body></html>", BASE, FIXED_NOW)


def test_ill_formed_feed_with_entries_is_kept_with_a_warning() -> None:
    broken = b"\n" + rss([{"title": "still here", "guid": "1"}])
    parsed = parse_feed(broken, BASE, FIXED_NOW, headers={"Content-Type": "application/xml"})
    assert [i.title for i in parsed.items] == ["still here"]
    assert parsed.warning and "well-formed" in parsed.warning


@pytest.mark.parametrize(
    ("text", "hint", "lang"),
    [
        ("ガバメントクラウドへの移行が本格化", None, "ja"),
        ("総務省発表", "ja", "ja"),
        ("Kubernetes 1.30 is released with new features", None, "en"),
        ("Die Bundesregierung und die Cloud", None, "de"),
        ("苹果发布新款手机", None, "zh"),
        ("Новости технологий", None, "ru"),
        ("ChatGPT", "ja", "ja"),
    ],
)
def test_language_is_detected_for_japanese_and_english(text: str, hint, lang: str) -> None:  # type: ignore[no-untyped-def]
    assert detect_language(text, hint) == lang


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.jp/x?utm_source=rss&id=3", "https://a.jp/x?id=3"),
        ("https://a.jp/x?fbclid=1&gclid=2", "https://a.jp/x"),
        ("https://a.jp/x?page=2", "https://a.jp/x?page=2"),
    ],
)
def test_tracking_parameters_are_removed(url: str, expected: str) -> None:
    assert strip_tracking(url) == expected


def test_canonical_url_merges_spellings_of_one_article() -> None:
    spellings = [
        "http://www.Example.com/a?utm_medium=x#top",
        "https://example.com:443/a",
        "https://EXAMPLE.com/a",
    ]
    assert len({canonical_url(u) for u in spellings}) == 1


def test_relative_links_inside_summaries_are_resolved() -> None:
    item = _one(
        {
            "title": "t",
            "guid": "1",
            "link": "https://news.example.jp/a/1",
            "description": '&lt;a href="/b/2"&gt;more&lt;/a&gt;&lt;img src="i.png"&gt;',
        }
    )
    assert 'href="https://news.example.jp/b/2"' in item.summary_html
    assert 'src="https://news.example.jp/a/i.png"' in item.summary_html


def test_feeds_parsed_at_once_on_threads_resolve_links_against_their_own_item() -> None:
    """The sanitiser is shared; each thread's summaries still resolve against their own link."""

    def summary(site: str) -> str:
        more = '&lt;a href="/more"&gt;more&lt;/a&gt;'
        items = [
            {"title": f"t{i}", "guid": str(i), "link": f"https://{site}/a/{i}", "description": more}
            for i in range(200)
        ]
        return "".join(item.summary_html for item in parse_feed(rss(items), "u", FIXED_NOW).items)

    sites = [f"{x}.example.jp" for x in "abcd"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        pages = dict(zip(sites, pool.map(summary, sites), strict=True))
    for site, html in pages.items():
        assert html.count(f'href="https://{site}/more"') == 200


def test_summary_text_keeps_words_whole_and_paragraphs_apart() -> None:
    item = _one(
        {
            "title": "t",
            "guid": "1",
            "description": "&lt;p&gt;Ku&lt;b&gt;ber&lt;/b&gt;netes&lt;/p&gt;"
            "&lt;p&gt;next &amp;amp; last&lt;/p&gt;",
        }
    )
    assert item.summary_text == "Kubernetes next & last"
