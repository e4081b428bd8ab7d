"""The offline demo corpus: real feeds for feedparser, realistic life cycles, reproducible bytes."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

import feedparser
import pytest

from radar.demo import corpus
from radar.demo.corpus import (
    DEMO_FEEDS,
    DEMO_START,
    DEMO_WEEKS,
    JST,
    DemoEntry,
    demo_entries,
    snapshot,
    tech_aliases,
    tech_stories,
    week_start,
)

WEEKS = [0, 19, 44, 79]
SLUGS = [feed.slug for feed in DEMO_FEEDS]


def week_of(when: datetime) -> int:
    return (when.astimezone(JST).date() - DEMO_START).days // 7


def week_end(week: int) -> datetime:
    return datetime.combine(week_start(week) + timedelta(days=6), time(23, 59, 59), JST)


def weekly_mentions(tech: str) -> Counter[int]:
    return Counter(week_of(e.published) for e in demo_entries() if tech in e.techs and e.published)


def canonical(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def squash(title: str) -> str:
    """Fold width and drop punctuation and spaces, the way a near-duplicate check would."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", title)).casefold()


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("week", WEEKS)
def test_every_snapshot_parses_cleanly_with_feedparser(slug: str, week: int) -> None:
    parsed = feedparser.parse(snapshot(slug, week))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert 0 < len(parsed.entries) <= corpus.SNAPSHOT_LIMIT
    assert all(entry.title.strip() for entry in parsed.entries)
    expected = {e.title for e in demo_entries() if e.feed == slug}
    assert {entry.title for entry in parsed.entries} <= expected


def test_feeds_mix_formats_languages_and_a_real_shift_jis_feed() -> None:
    assert {f.format for f in DEMO_FEEDS} == {"rss2", "rss1", "atom"}
    assert Counter(f.lang for f in DEMO_FEEDS) == {"ja": 5, "en": 3}
    sjis = [f for f in DEMO_FEEDS if f.encoding == "shift_jis"]
    assert len(sjis) == 1 and sjis[0].lang == "ja"
    body = snapshot(sjis[0].slug, 40)
    assert body.startswith(b'<?xml version="1.0" encoding="Shift_JIS"?>')
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "自治体" in body.decode("shift_jis")


def test_shift_jis_feed_decodes_to_the_same_japanese_titles() -> None:
    slug = next(f.slug for f in DEMO_FEEDS if f.encoding == "shift_jis")
    parsed = feedparser.parse(snapshot(slug, 60))
    assert parsed.encoding.lower().replace("-", "_") == "shift_jis"
    titles = [entry.title for entry in parsed.entries]
    known = {e.title for e in demo_entries() if e.feed == slug}
    assert set(titles) <= known
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in titles)


@pytest.mark.parametrize("slug", SLUGS)
def test_snapshot_holds_only_items_published_by_the_end_of_its_week(slug: str) -> None:
    by_link = defaultdict(list)
    for e in demo_entries():
        if e.feed == slug:
            by_link[e.link].append(e)
    for week in [3, 30, 62]:
        parsed = feedparser.parse(snapshot(slug, week))
        stamps = []
        for entry in parsed.entries:
            for e in by_link[entry.link]:
                assert e.published is None or e.published <= week_end(week)
            raw = entry.get("published") or entry.get("updated")
            if raw:
                stamp = parsedate_to_datetime(raw) if "," in raw else datetime.fromisoformat(raw)
                assert stamp <= week_end(week)
                stamps.append(stamp)
        assert stamps == sorted(stamps, reverse=True), "newest first"


def test_consecutive_snapshots_overlap_so_reingestion_must_dedupe() -> None:
    for slug in SLUGS:
        links = [{e.link for e in feedparser.parse(snapshot(slug, w)).entries} for w in (40, 41)]
        assert links[0] & links[1]


def test_corpus_covers_forty_real_techs_in_every_designed_story() -> None:
    stories = tech_stories()
    tagged = Counter(t for e in demo_entries() for t in e.techs)
    assert len(tagged) >= 40
    assert set(tagged) == set(stories)
    assert set(stories.values()) == set(corpus.STORIES)
    assert 3000 <= len(demo_entries()) <= 7000


def test_fads_peak_in_one_week_while_standards_are_covered_most_weeks() -> None:
    standards = ("kubernetes", "python", "aws", "microsoft-365", "5g", "ransomware")
    for standard in standards:
        assert len(weekly_mentions(standard)) >= 0.75 * DEMO_WEEKS, standard
    steadiest = max(
        max(weekly_mentions(t).values()) / weekly_mentions(t).total() for t in standards
    )
    for fad in ("mastodon", "threads"):
        weeks = weekly_mentions(fad)
        peak_share = max(weeks.values()) / weeks.total()
        assert peak_share >= 0.15 and peak_share > 3 * steadiest, fad


def test_risers_grow_and_fads_and_decliners_shrink_between_the_two_halves() -> None:
    for tech, story in tech_stories().items():
        weeks = weekly_mentions(tech)
        first = sum(n for w, n in weeks.items() if w < DEMO_WEEKS // 2)
        second = weeks.total() - first
        if story in ("rising", "emerging"):
            assert second > first, tech
        if story == "declining" or (story == "fad" and tech not in {"threads", "vr-headset"}):
            assert second < first, tech


@pytest.mark.parametrize(
    ("tech", "first_day"),
    [("chatgpt", date(2022, 11, 30)), ("threads", date(2023, 7, 5))],
)
def test_launch_coverage_starts_on_the_real_launch_date(tech: str, first_day: date) -> None:
    days = [e.published.date() for e in demo_entries() if tech in e.techs and e.published]
    assert min(days) in (first_day, first_day + timedelta(days=1))


@pytest.mark.parametrize(
    ("tech", "peak_month"),
    [("mastodon", "2022-11"), ("floppy-disk", "2022-08"), ("vr-headset", "2023-06")],
)
def test_spikes_sit_where_they_happened(tech: str, peak_month: str) -> None:
    peak_week = weekly_mentions(tech).most_common(1)[0][0]
    monday = week_start(peak_week)
    assert {monday.strftime("%Y-%m"), (monday + timedelta(days=6)).strftime("%Y-%m")} & {peak_month}


@pytest.mark.parametrize(
    ("name", "released"),
    [
        ("ChatGPT", date(2022, 11, 30)),
        ("GPT-4", date(2023, 3, 14)),
        ("Microsoft 365 Copilot", date(2023, 3, 16)),
        ("Vision Pro", date(2023, 6, 5)),
        ("Threads", date(2023, 7, 5)),
        ("Llama 2", date(2023, 7, 18)),
    ],
)
def test_no_headline_names_a_product_before_it_existed(name: str, released: date) -> None:
    early = [e.title for e in demo_entries() if name in e.title and e.published
             and e.published.date() < released]  # fmt: skip
    assert early == []


def test_every_title_names_the_techs_it_is_tagged_with() -> None:
    aliases = {t: [unicodedata.normalize("NFKC", a).casefold() for a in names]
               for t, names in tech_aliases().items()}  # fmt: skip
    for e in demo_entries():
        title = unicodedata.normalize("NFKC", e.title).casefold()
        for tech in e.techs:
            assert any(a in title for a in aliases[tech]), (tech, e.title)


def test_same_bytes_on_every_call_and_in_a_fresh_process() -> None:
    first = [snapshot(slug, 33) for slug in SLUGS]
    corpus._build_corpus.cache_clear()
    corpus._by_feed.cache_clear()
    assert [snapshot(slug, 33) for slug in SLUGS] == first
    code = (
        f"import sys, radar.demo.corpus as c; sys.stdout.buffer.write(c.snapshot({SLUGS[0]!r}, 33))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PYTHONPATH": ":".join(sys.path)},
    )
    assert out.stdout == first[0]


def test_cross_posted_urls_and_near_duplicate_titles_span_feeds() -> None:
    feeds_of_url = defaultdict(set)
    for e in demo_entries():
        feeds_of_url[canonical(e.link)].add(e.feed)
    assert sum(len(f) > 1 for f in feeds_of_url.values()) >= 20

    near = 0
    by_key: dict[str, list[DemoEntry]] = defaultdict(list)
    for e in demo_entries():
        if e.published:
            by_key[squash(e.title)].append(e)
    for group in by_key.values():
        for a in group:
            for b in group:
                close = abs(a.published - b.published) <= timedelta(days=2)  # type: ignore[operator]
                if a.feed < b.feed and a.title != b.title and close:
                    near += 1
    assert near >= 20


def test_links_stay_on_demo_hosts_and_some_carry_tracking_parameters() -> None:
    links = [e.link for e in demo_entries()]
    assert all(urlsplit(u).hostname.endswith(".demo.invalid") for u in links)  # type: ignore[union-attr]
    tracked = [u for u in links if "utm_source=" in u and "utm_medium=" in u]
    assert 100 <= len(tracked) < len(links) / 2


def test_one_feed_has_no_guids_and_the_others_never_repeat_one() -> None:
    guids = defaultdict(list)
    for e in demo_entries():
        guids[e.feed].append(e.guid)
    without = [slug for slug, ids in guids.items() if all(g is None for g in ids)]
    assert without == ["mobile-ja"]
    assert "<guid" not in snapshot("mobile-ja", 40).decode()
    for slug, ids in guids.items():
        if slug not in without:
            assert None not in ids and len(set(ids)) == len(ids)


def test_summaries_include_links_bold_text_and_a_script_to_strip() -> None:
    summaries = [e.summary_html for e in demo_entries()]
    assert any("<a href=" in s for s in summaries)
    assert any("<b>" in s for s in summaries)
    scripts = [s for s in summaries if "<script>" in s]
    assert 0 < len(scripts) < len(summaries) / 10


def test_a_few_items_in_one_dated_feed_have_no_date_element() -> None:
    undated = [e for e in demo_entries() if e.published is None]
    assert 1 <= len(undated) <= 20
    (slug,) = {e.feed for e in undated}
    dated = [e for e in demo_entries() if e.feed == slug and e.published]
    assert len(dated) > 20 * len(undated)
    assert all(e.published.utcoffset() == timedelta(hours=9) for e in dated)  # type: ignore[union-attr]
    link = undated[0].link
    bodies = [body for w in range(DEMO_WEEKS) if link.encode() in (body := snapshot(slug, w))]
    shown = [e for body in bodies for e in feedparser.parse(body).entries if e.link == link]
    assert shown and not any("updated" in entry or "published" in entry for entry in shown)


def test_each_feed_carries_a_realistic_number_of_items_per_week() -> None:
    per_week = Counter((e.feed, week_of(e.published)) for e in demo_entries() if e.published)
    for slug in SLUGS:
        counts = [per_week[(slug, w)] for w in range(DEMO_WEEKS)]
        assert min(counts) >= 3 and max(counts) <= 18, slug
        assert 5 <= sum(counts) / DEMO_WEEKS <= 12, slug


def test_bad_week_or_feed_is_refused() -> None:
    with pytest.raises(ValueError, match="week_index"):
        week_start(DEMO_WEEKS)
    with pytest.raises(ValueError, match="unknown feed"):
        snapshot("no-such-feed", 0)
    assert week_start(0) == date(2022, 6, 27) and week_start(79) == date(2024, 1, 1)


def test_atom_entries_link_to_the_article_not_the_tag_id() -> None:
    atom = next(f for f in corpus.DEMO_FEEDS if f.format == "atom")
    parsed = feedparser.parse(corpus.snapshot(atom.slug, corpus.DEMO_WEEKS - 1))
    assert parsed.entries
    assert all(e.link.startswith("https://") for e in parsed.entries)
