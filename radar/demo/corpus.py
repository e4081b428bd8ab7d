"""Generate the offline demo corpus: weekly feed snapshots built from hand-written headlines.

A new user without internet must still see a populated radar, and the demo should exercise the
real fetch and parse path. So this module turns the data shipped beside it (yaml: feeds, techs
with their life-cycle curves, dated real events, headline pools) into the bytes of RSS 2.0,
RSS 1.0 and Atom documents, one per feed and ISO week. It is pure: no network, no clock, no
environment; one fixed seed makes every call return identical bytes.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import yaml

DEMO_START: date = date(2022, 6, 27)
DEMO_WEEKS: int = 80
DEMO_SEED: int = 20221130
SNAPSHOT_LIMIT: int = 30
JST = timezone(timedelta(hours=9), "JST")
# The designed trajectories (techs.yaml says what each means and where it should land).
STORIES = ("standard", "rising", "emerging", "research", "fad", "declining")
_SLOT = re.compile(r"\{(\w+?)(\d*)\}")
_WINDOW = re.compile(r"^\(([\d-]{7,10})?\.\.([\d-]{7,10})?\)\s*")


@dataclass(frozen=True)
class _Line:
    """One hand-written headline of a pool, usable only between ``first`` and ``last``.

    The bounds are ISO prefixes (a month "2023-03" or a day); None means no bound.
    """

    text: str
    extra: tuple[str, ...] = ()  # technologies the line names beside its own
    first: str | None = None
    last: str | None = None

    def open_on(self, day: str) -> bool:
        """Tell whether the line may be used on ``day`` (an ISO date)."""
        return (self.first is None or day[: len(self.first)] >= self.first) and (
            self.last is None or day[: len(self.last)] <= self.last
        )


@dataclass(frozen=True)
class DemoFeed:
    """One fictional source; `format` and `encoding` decide how its snapshots are rendered."""

    slug: str
    title: str
    lang: str
    format: str
    encoding: str


@dataclass(frozen=True)
class DemoEntry:
    """One item as a feed shows it, plus `techs`, the ground truth that later tests compare to."""

    feed: str
    guid: str | None
    link: str
    title: str
    summary_html: str
    published: datetime | None
    techs: tuple[str, ...]


@dataclass
class _Draft:
    """An item while the corpus is built; `when` also orders undated items inside their week."""

    feed: str
    title: str
    techs: tuple[str, ...]
    when: datetime
    body: str | None = None  # summary text written for an event; else the tech's "about"
    source: _Draft | None = None  # set on a cross-post that reuses the source's URL
    syndicated: bool = False
    dated: bool = True
    link: str = ""
    guid: str | None = None
    summary_html: str = ""


def _load(name: str) -> Any:
    """Read one yaml file shipped inside this package."""
    text = resources.files("radar.demo").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_FEED_SPECS: dict[str, dict[str, Any]] = {f["slug"]: f for f in _load("feeds.yaml")["feeds"]}
_FORMATS: dict[str, dict[str, str]] = _load("feeds.yaml")["formats"]
_SLOTS: dict[str, dict[str, Any]] = _load("slots.yaml")
DEMO_FEEDS: tuple[DemoFeed, ...] = tuple(
    DemoFeed(s["slug"], s["title"], s["lang"], s["format"], s["encoding"])
    for s in _FEED_SPECS.values()
)


def week_start(week_index: int) -> date:
    """Return the Monday opening demo week `week_index` (0-based): one calendar for all callers."""
    if not 0 <= week_index < DEMO_WEEKS:
        raise ValueError(f"demo: week_index must be in 0..{DEMO_WEEKS - 1}, got {week_index}")
    return DEMO_START + timedelta(weeks=week_index)


def _week_end(week_index: int) -> datetime:
    return datetime.combine(week_start(week_index) + timedelta(days=6), time(23, 59, 59), JST)


def _week_of(when: datetime) -> int:
    return (when.astimezone(JST).date() - DEMO_START).days // 7


@functools.cache
def _techs() -> dict[str, dict[str, Any]]:
    techs: dict[str, dict[str, Any]] = _load("techs.yaml")["techs"]
    for tid, tech in techs.items():
        if tech["story"] not in STORIES or set(tech["feeds"]) - set(_FEED_SPECS):
            raise ValueError(f"demo: bad story or feed for tech {tid!r} in techs.yaml")
    return techs


def demo_techs() -> dict[str, dict[str, Any]]:
    """Every demo technology's techs.yaml entry (story, curve, feeds, series), validated."""
    return _techs()


def tech_stories() -> dict[str, str]:
    """Return tech id -> designed story: the answer the radar's placement should recover."""
    return {tid: t["story"] for tid, t in _techs().items()}


def tech_aliases() -> dict[str, tuple[str, ...]]:
    """Return tech id -> names headlines use, so tests can check every label is visible."""
    return {tid: tuple(t["aliases"]) for tid, t in _techs().items()}


def _intensity(curve: dict[date, float], day: date) -> float:
    """Interpolate a tech's expected items per week (all feeds together) between yaml knots."""
    knots = sorted(curve.items())
    if day <= knots[0][0]:
        return float(knots[0][1])
    for (d0, v0), (d1, v1) in itertools.pairwise(knots):
        if day <= d1:
            return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return float(knots[-1][1])


def _phase(tid: str, day: date) -> str:
    """The tech's story, with a fad split in two: "fad-boom" near its peak, "fad" once faded.

    Generic headlines follow it, so a faded fad is written about as fading, not as a craze.
    """
    tech = _techs()[tid]
    story = str(tech["story"])
    if story == "fad" and _intensity(tech["curve"], day) >= 0.5 * max(tech["curve"].values()):
        return "fad-boom"
    return story


def _parse_line(line: str | list[str]) -> _Line:
    """Split a pool line into its date window ("(2023-03-14..)" prefix), text and extra tech ids.

    A window bound may be a month ("2023-03") or a day; the line is used only inside it.
    """
    text, extra = (line, ()) if isinstance(line, str) else (line[0], tuple(line[1:]))
    m = _WINDOW.match(text)
    if not m:
        return _Line(text, extra)
    return _Line(text[m.end() :], extra, m.group(1) or None, m.group(2) or None)


def _pool(spec: dict[str, Any]) -> str:
    return "gov" if spec["style"] == "gov" else str(spec["lang"])


class _Writer:
    """Pick hand-written headlines, spreading use over a pool and never repeating a title."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools: dict[tuple[str, str], list[_Line]] = {}
        for pool in ("ja", "en", "gov"):
            for tid, lines in _load(f"headlines_{pool}.yaml").items():
                self.pools[(tid, pool)] = [_parse_line(x) for x in lines]
        self.uses: Counter[tuple[str, str, int]] = Counter()
        self.used: set[str] = set()

    def fill(self, text: str, when: datetime, lang: str, key: tuple[str, str, int]) -> str:
        """Fill slots; {seq} counts this line's uses, so numbered notices advance over time."""

        def slot(m: re.Match[str]) -> str:
            kind, num = m.group(1), m.group(2)
            if kind == "seq":
                return str(int(num or 1) + self.uses[key])
            if kind == "fy":
                return f"令和{when.year - 2018 - (when.month < 4)}年度"
            if kind == "ry":
                return f"令和{when.year - 2018}年"
            if kind == "m":
                return str(when.month)
            return str(self.rng.choice(_SLOTS[lang][kind]))

        out = _SLOT.sub(slot, text)
        return out[:1].upper() + out[1:]

    def headline(self, tid: str, pool: str, when: datetime) -> tuple[str, tuple[str, ...]]:
        """Return an unused title for `tid` and the techs it names; generic once a pool is spent."""
        lang = "en" if pool == "en" else "ja"
        lines = self.pools.get((tid, pool), [])
        day = when.date().isoformat()
        open_now = [i for i, line in enumerate(lines) if line.open_on(day)]
        rank = {i: (self.uses[(tid, pool, i)], self.rng.random()) for i in open_now}
        for i in sorted(open_now, key=rank.__getitem__):
            text, extra = lines[i].text, lines[i].extra
            title = self.fill(text, when, lang, (tid, pool, i))
            if title not in self.used:
                self.uses[(tid, pool, i)] += 1
                self.used.add(title)
                return title, (tid, *extra)
        slots = _SLOTS[pool] if "generic" in _SLOTS[pool] else _SLOTS[lang]
        patterns = slots.get(f"generic-{_phase(tid, when.date())}") or slots["generic"]
        for _ in range(50):
            pattern = self.rng.choice(patterns).replace("<tech>", _techs()[tid]["names"][lang])
            title = self.fill(pattern, when, lang, ("", "", 0))
            if title not in self.used:
                break
        self.used.add(title)
        return title, (tid,)


def _moment(rng: random.Random, day: date, spec: dict[str, Any]) -> datetime:
    hours = spec.get("hours", [7, 23])
    minute = rng.randrange(0, 60, 5) if spec["style"] == "gov" else rng.randrange(60)
    return datetime.combine(day, time(rng.randrange(*hours), minute), JST)


def _event_drafts(rng: random.Random, writer: _Writer) -> list[_Draft]:
    """Place each real, dated event in the feeds that would cover it, in their language."""
    drafts = []
    for ev in _load("events.yaml")["events"]:
        techs = tuple(ev.get("t", []))
        weight_of = _techs()[techs[0]]["feeds"] if techs else dict.fromkeys(ev["feeds"], 1)
        for pool in ("ja", "en", "gov"):
            texts = ev.get(pool) or []
            texts = [texts] if isinstance(texts, str) else texts
            cands = [s for s, spec in _FEED_SPECS.items() if _pool(spec) == pool]
            cands = [s for s in cands if weight_of.get(s) and s in ev.get("feeds", [s])]
            if texts and not cands:
                raise ValueError(f"demo: no {pool} feed for event {texts[0]!r}")
            left: list[str] = []
            for text in texts:
                if not left:  # a big story: more articles than outlets, so some carry two
                    left = list(cands)
                slug = rng.choices(left, [weight_of[s] for s in left])[0]
                left.remove(slug)
                spec = _FEED_SPECS[slug]
                lag = 0 if spec["style"] == "gov" else rng.choice((0, 0, 1))
                when = _moment(rng, ev["d"] + timedelta(days=lag), spec)
                if 0 <= _week_of(when) < DEMO_WEEKS:
                    writer.used.add(text)
                    drafts.append(_Draft(slug, text, techs, when, ev.get(f"s_{pool}")))
    return drafts


def _allocate(rng: random.Random, expected: dict[str, float], need: int) -> Counter[str]:
    """Split `need` items over techs in proportion to `expected` (systematic sampling).

    Each tech gets exactly its share on average, so small, fading techs keep their shape.
    """
    scale = need / max(sum(expected.values()), 1e-9)
    order = list(expected)
    rng.shuffle(order)
    offset, upper, counts = rng.random(), 0.0, Counter[str]()
    for tid in order:
        lower, upper = upper, upper + expected[tid] * scale
        counts[tid] = math.floor(upper - offset) - math.floor(lower - offset)
    return counts


def _filler_drafts(
    rng: random.Random, writer: _Writer, taken: Counter[tuple[str, int]]
) -> list[_Draft]:
    """Fill each feed-week up to its volume with headlines whose mix follows the tech curves."""
    drafts = []
    for week in range(DEMO_WEEKS):
        monday = week_start(week)
        sunday = monday + timedelta(days=6)
        midweek = (monday + timedelta(days=3)).isoformat()  # pools need a line open this week
        for slug, spec in _FEED_SPECS.items():
            pool = _pool(spec)
            expected = {
                tid: _intensity(t["curve"], monday) * t["feeds"][slug] / sum(t["feeds"].values())
                for tid, t in _techs().items()
                if t["feeds"].get(slug)
                and t.get("launch", monday) <= sunday
                and any(x.open_on(midweek) for x in writer.pools.get((tid, pool), []))
            }
            volume = sum(expected.values()) * spec.get("scale", 1.0) * rng.uniform(0.85, 1.15)
            target = min(max(round(volume), spec["min"]), spec["max"])
            need = max(target - taken[(slug, week)], 0)
            for tid, n in _allocate(rng, expected, need).items():
                first = max(monday, _techs()[tid].get("launch", monday))  # not before a launch
                span = min(spec.get("days", 7), (sunday - first).days + 1)
                for _ in range(n):
                    when = _moment(rng, first + timedelta(days=rng.randrange(span)), spec)
                    title, tagged = writer.headline(tid, pool, when)
                    drafts.append(_Draft(slug, title, tagged, when))
    return drafts


def _variant(title: str, lang: str, rng: random.Random) -> str:
    """Return the same headline with small punctuation differences, as a second outlet writes it."""
    if lang == "ja":
        swaps = [("、", " "), ("「", "『"), ("」", "』"), ("AI", "ＡＩ")]
        for a, b in rng.sample(swaps, len(swaps)):
            if a in title:
                return title.replace(a, b)
        return title + "。"
    for a, b in [(": ", " - "), (", ", " , "), ("'", "\u2019"), (" - ", ": ")]:
        if a in title:
            return title.replace(a, b, 1)
    return title + "."


def _cross_posts(rng: random.Random, drafts: list[_Draft]) -> list[_Draft]:
    """Copy some stories to a sister feed: same URL (syndication) or a near-identical title."""
    load = Counter((d.feed, _week_of(d.when)) for d in drafts)
    copies = []
    for d in drafts:
        for target, mode, rate in _FEED_SPECS[d.feed].get("crosspost", []):
            spec = _FEED_SPECS[target]
            when = d.when + timedelta(hours=rng.randrange(2, 40))
            week = _week_of(when)
            fits = not d.techs or _techs()[d.techs[0]]["feeds"].get(target)
            if not fits or rng.random() >= rate or week >= DEMO_WEEKS:
                continue
            if load[(target, week)] > spec["max"]:
                continue
            load[(target, week)] += 1
            d.syndicated = d.syndicated or mode == "url"
            title = d.title if mode == "url" else _variant(d.title, spec["lang"], rng)
            source = d if mode == "url" else None
            copies.append(_Draft(target, title, d.techs, when, d.body, source=source))
            break
    return copies


def _summary(rng: random.Random, d: _Draft, spec: dict[str, Any]) -> str:
    """Write a short HTML summary; some carry a link, bold text or an inline script to strip."""
    slots = _SLOTS[_pool(spec)]
    about = _techs()[d.techs[0]]["about"].get(spec["lang"]) if d.techs else None
    body = escape(d.body or rng.choice(about or slots["misc"]))
    tail = escape(rng.choice(slots["tail"]))
    roll = rng.random()
    if spec["html"] == "plain" or roll < 0.45:
        return f"<p>{body}{tail}</p>"
    if roll < 0.7:
        return f"<p><b>{body}</b>{tail}</p>"
    if roll < 0.93:
        href = f"https://{spec['slug']}.demo.invalid/tag/{d.techs[0] if d.techs else 'news'}"
        return f'<p>{body}<a href="{href}">{escape(slots["more"])}</a></p>'
    return f"<p>{body}{tail}</p><script>window.demoStats&&demoStats.hit('{d.feed}')</script>"


def _finish(rng: random.Random, drafts: list[_Draft]) -> list[_Draft]:
    """Order the items, then give them links, guids, summaries, and drop a few dates."""
    drafts.sort(key=lambda d: (d.when, d.feed, d.title))
    seqs: Counter[str] = Counter()
    for d in drafts:
        spec = _FEED_SPECS[d.feed]
        seqs[d.feed] += 1
        seq, w = 1000 + seqs[d.feed], d.when
        canonical = f"https://{d.feed}.demo.invalid/" + spec["path"].format(
            y=w.year, m=w.month, d=w.day, seq=seq
        )
        d.guid = {"none": None, "opaque": f"{d.feed}-{seq}", "permalink": canonical}[spec["guid"]]
        if spec["format"] == "atom":
            d.guid = f"tag:{d.feed}.demo.invalid,{w.date().isoformat()}:{seq}"
        d.link = canonical
        if not d.syndicated and rng.random() < spec.get("utm", 0.0):
            d.link += f"?utm_source=rss&utm_medium=feed&utm_campaign={d.feed}"
        d.summary_html = _summary(rng, d, spec)
    for d in drafts:
        if d.source is not None:
            d.link = d.source.link
        elif rng.random() < _FEED_SPECS[d.feed].get("undated", 0.0):
            d.dated = False
    return drafts


_BUILD_LOCK = threading.Lock()


@functools.cache
def _build_corpus() -> tuple[_Draft, ...]:
    rng = random.Random(DEMO_SEED)
    writer = _Writer(rng)
    drafts = _event_drafts(rng, writer)
    taken = Counter((d.feed, _week_of(d.when)) for d in drafts)
    drafts += _filler_drafts(rng, writer, taken)
    drafts += _cross_posts(rng, drafts)
    return tuple(_finish(rng, drafts))


def _corpus() -> tuple[_Draft, ...]:
    """Build every item once (events, filler, cross-posts), even when server threads race."""
    with _BUILD_LOCK:
        return _build_corpus()


@functools.cache
def _by_feed() -> dict[str, list[_Draft]]:
    feeds: dict[str, list[_Draft]] = {slug: [] for slug in _FEED_SPECS}
    for d in _corpus():
        feeds[d.feed].append(d)
    return feeds


@functools.cache
def _demo_entries() -> tuple[DemoEntry, ...]:
    return tuple(
        DemoEntry(
            d.feed, d.guid, d.link, d.title, d.summary_html, d.when if d.dated else None, d.techs
        )
        for d in _corpus()
    )


def demo_entries() -> list[DemoEntry]:
    """Return every entry of every feed, oldest first; built once, since the data never changes."""
    return list(_demo_entries())


def _render_item(fmt: str, spec: dict[str, Any], d: _Draft) -> str:
    """Render one item; RSS 2.0 puts the date in pubDate (RFC 822), RSS 1.0 in dc:date."""
    perma = "true" if spec["guid"] == "permalink" else "false"
    guid = "" if d.guid is None else f'<guid isPermaLink="{perma}">{escape(d.guid)}</guid>'
    date_el = {"rss2": f"<pubDate>{format_datetime(d.when)}</pubDate>"}
    date_el["rss1"] = f"<dc:date>{d.when.isoformat()}</dc:date>"
    cdata = spec["html"] == "cdata"
    return _FORMATS[fmt]["item"].format(
        title=escape(d.title),
        link=escape(d.link),
        guid=guid,
        date=date_el.get(fmt, "") if d.dated else "",
        summary=f"<![CDATA[{d.summary_html}]]>" if cdata else escape(d.summary_html),
        about=quoteattr(d.guid or d.link),
        link_attr=quoteattr(d.link),
        id=escape(d.guid or d.link),
        iso=d.when.isoformat(),
    )


def snapshot(feed_slug: str, week_index: int) -> bytes:
    """Return the feed document as served at the end of week `week_index` (newest 30 items).

    Consecutive snapshots overlap, as real feeds do, so re-ingesting them exercises dedupe.
    Bytes are in the feed's own encoding (one feed is really Shift_JIS), as a server sends them.
    """
    if feed_slug not in _FEED_SPECS:
        raise ValueError(f"demo: unknown feed {feed_slug!r}")
    end = _week_end(week_index)
    spec = _FEED_SPECS[feed_slug]
    feed = next(f for f in DEMO_FEEDS if f.slug == feed_slug)
    items = [d for d in _by_feed()[feed_slug] if d.when <= end][::-1][:SNAPSHOT_LIMIT]
    built = items[0].when if items else end
    home = f"https://{feed_slug}.demo.invalid/"
    seq = "".join(f"<rdf:li rdf:resource={quoteattr(d.guid or d.link)}/>" for d in items)
    head = _FORMATS[feed.format]["head"].format(
        title=escape(feed.title),
        home=home,
        desc=escape(spec["description"]),
        lang=feed.lang,
        rfc=format_datetime(built),
        iso=built.isoformat(),
        seq=seq,
    )
    lines = [
        head,
        *(_render_item(feed.format, spec, d) for d in items),
        _FORMATS[feed.format]["tail"],
    ]
    prolog = f'<?xml version="1.0" encoding="{spec["xml_encoding"]}"?>'
    return "\n".join([prolog, *lines, ""]).encode(feed.encoding, errors="xmlcharrefreplace")
