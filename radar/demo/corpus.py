"""Generate the offline demo corpus: weekly feed snapshots built from hand-written headlines.

A new user without internet must still see a populated radar, and the demo should exercise the
real fetch and parse path. So this module turns the headline data shipped beside it (yaml) into
the bytes of RSS 2.0, RSS 1.0 and Atom documents, one per feed and ISO week. It is pure: no
network, no clock, no environment; one fixed seed makes every call return identical bytes.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass, field
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
_SHAPES = ("standard", "riser", "fad", "decliner")
_SLOT = re.compile(r"\{(\w+?)(\d*)\}")


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
    feed: str
    title: str
    techs: tuple[str, ...]
    when: datetime
    summary: str | None = None
    source: _Draft | None = None  # set on a cross-post that reuses the source's URL
    syndicated: bool = False
    dated: bool = True
    link: str = ""
    guid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _load(name: str) -> Any:
    """Read one yaml file shipped inside this package."""
    text = resources.files(__package__ or "radar.demo").joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)


_FEED_SPECS: dict[str, dict[str, Any]] = {f["slug"]: f for f in _load("feeds.yaml")["feeds"]}
DEMO_FEEDS: tuple[DemoFeed, ...] = tuple(
    DemoFeed(s["slug"], s["title"], s["lang"], s["format"], s["encoding"])
    for s in _FEED_SPECS.values()
)


def week_start(week_index: int) -> date:
    """Return the Monday that opens demo week `week_index` (0-based), so callers share one calendar."""
    if not 0 <= week_index < DEMO_WEEKS:
        raise ValueError(f"demo: week_index must be in 0..{DEMO_WEEKS - 1}, got {week_index}")
    return DEMO_START + timedelta(weeks=week_index)


def _week_end(week_index: int) -> datetime:
    return datetime.combine(week_start(week_index) + timedelta(days=6), time(23, 59, 59), JST)


def _week_of(when: datetime) -> int:
    return (when.astimezone(JST).date() - DEMO_START).days // 7


@functools.cache
def _techs() -> dict[str, dict[str, Any]]:
    return dict(_load("techs.yaml")["techs"])


def tech_shapes() -> dict[str, str]:
    """Return tech id -> life-cycle shape, the intended answer the radar's scoring should recover."""
    return {tid: t["shape"] for tid, t in _techs().items()}


def tech_aliases() -> dict[str, tuple[str, ...]]:
    """Return tech id -> names used in headlines, so tests can check every label is visible."""
    return {tid: tuple(t["aliases"]) for tid, t in _techs().items()}


def _intensity(curve: dict[date, float], day: date) -> float:
    """Interpolate a tech's expected items per week (all feeds together) between yaml knots."""
    knots = sorted(curve.items())
    if day <= knots[0][0]:
        return float(knots[0][1])
    for (d0, v0), (d1, v1) in zip(knots, knots[1:], strict=False):
        if day <= d1:
            return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return float(knots[-1][1])


class _Writer:
    """Pick hand-written headlines, spreading use over a pool and never repeating a title."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.slots: dict[str, dict[str, list[str]]] = _load("slots.yaml")
        self.pools: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
        for pool in ("ja", "en", "gov"):
            for tid, lines in (_load(f"headlines_{pool}.yaml") or {}).items():
                parsed = [(x, ()) if isinstance(x, str) else (x[0], tuple(x[1:])) for x in lines]
                self.pools[(tid, pool)] = parsed
        self.uses: dict[tuple[str, str, int], int] = {}
        self.used: set[str] = set()
        self.fallbacks = 0

    def fill(self, text: str, when: datetime, lang: str, key: tuple[str, str, int]) -> str:
        def slot(m: re.Match[str]) -> str:
            name, num = m.group(1), m.group(2)
            if name == "seq":
                return str(int(num or 1) + self.uses.get(key, 0))
            if name == "fy":
                return f"令和{when.year - 2018 - (when.month < 4)}年度"
            if name == "m":
                return str(when.month)
            return self.rng.choice(self.slots[lang][name])

        return _SLOT.sub(slot, text)

    def headline(self, tid: str, pool: str, when: datetime) -> tuple[str, tuple[str, ...]]:
        lang = "en" if pool == "en" else "ja"
        lines = self.pools.get((tid, pool), [])
        order = sorted(range(len(lines)), key=lambda i: (self.uses.get((tid, pool, i), 0), self.rng.random()))
        for i in order:
            text, extra = lines[i]
            title = self.fill(text, when, lang, (tid, pool, i))
            if title not in self.used:
                self.uses[(tid, pool, i)] = self.uses.get((tid, pool, i), 0) + 1
                self.used.add(title)
                return title, (tid, *extra)
        self.fallbacks += 1
        names = _techs()[tid]["names"]
        patterns = self.slots[lang]["generic"]
        for _ in range(50):
            title = self.fill(self.rng.choice(patterns), when, lang, ("", "", 0))
            title = title.replace("<tech>", names[lang])
            if title not in self.used:
                self.used.add(title)
                return title, (tid,)
        return title, (tid,)


def _pool(spec: dict[str, Any]) -> str:
    return "gov" if spec["style"] == "gov" else str(spec["lang"])


def _moment(rng: random.Random, day: date, spec: dict[str, Any]) -> datetime:
    hours = spec.get("hours", [7, 23])
    minute = rng.randrange(0, 60, 5) if spec["style"] == "gov" else rng.randrange(60)
    return datetime.combine(day, time(rng.randrange(*hours), minute), JST)


def _event_drafts(rng: random.Random, writer: _Writer) -> list[_Draft]:
    """Place each real, dated event in the feeds that would cover it, in their language."""
    drafts = []
    for ev in _load("events.yaml")["events"]:
        techs = tuple(ev.get("t", []))
        for pool in ("ja", "en", "gov"):
            texts = ev.get(pool)
            if not texts:
                continue
            texts = [texts] if isinstance(texts, str) else texts
            cands = [s for s in _FEED_SPECS.values() if _pool(s) == pool]
            if ev.get("feeds"):
                cands = [s for s in cands if s["slug"] in ev["feeds"]]
            elif techs:
                cands = [s for s in cands if _techs()[techs[0]]["feeds"].get(s["slug"], 0) > 0]
            weights = [_techs()[techs[0]]["feeds"].get(s["slug"], 1) if techs else 1 for s in cands]
            for text in texts:
                if not cands:
                    raise ValueError(f"demo: no {pool} feed for event {text!r}")
                spec = rng.choices(cands, weights)[0]
                i = cands.index(spec)
                cands, weights = cands[:i] + cands[i + 1 :], weights[:i] + weights[i + 1 :]
                lag = 0 if spec["style"] == "gov" else rng.choice((0, 0, 1))
                when = _moment(rng, ev["d"] + timedelta(days=lag), spec)
                if 0 <= _week_of(when) < DEMO_WEEKS:
                    writer.used.add(text)
                    drafts.append(_Draft(spec["slug"], text, techs, when, ev.get(f"s_{pool}")))
    return drafts


def _filler_drafts(rng: random.Random, writer: _Writer, taken: dict[tuple[str, int], int]) -> list[_Draft]:
    """Fill each feed-week up to its volume with headlines whose mix follows the tech curves."""
    drafts = []
    techs = _techs()
    for week in range(DEMO_WEEKS):
        monday = week_start(week)
        for slug, spec in _FEED_SPECS.items():
            pool = _pool(spec)
            expected: dict[str, float] = {}
            for tid, t in techs.items():
                weight = t["feeds"].get(slug, 0)
                if weight and (tid, pool) in writer.pools:
                    total = sum(t["feeds"].values())
                    expected[tid] = _intensity(t["curve"], monday) * weight / total
            volume = sum(expected.values()) * spec.get("scale", 1.0) * rng.uniform(0.85, 1.15)
            target = min(max(round(volume), spec["min"]), spec["max"])
            need = max(target - taken.get((slug, week), 0), 0)
            scale = need / max(sum(expected.values()), 1e-9)
            counts = {tid: int(e * scale) for tid, e in expected.items()}
            rest = [tid for tid in expected if expected[tid] * scale % 1 > 0]
            shortfall = need - sum(counts.values())
            fracs = [expected[tid] * scale % 1 for tid in rest]
            while shortfall > 0 and rest:
                tid = rng.choices(rest, fracs)[0]
                i = rest.index(tid)
                counts[tid] += 1
                del rest[i], fracs[i]
                shortfall -= 1
            for tid, n in counts.items():
                for _ in range(n):
                    days = spec.get("days", 7)
                    when = _moment(rng, monday + timedelta(days=rng.randrange(days)), spec)
                    title, tagged = writer.headline(tid, pool, when)
                    drafts.append(_Draft(slug, title, tagged, when))
    return drafts


def _variant(title: str, lang: str, rng: random.Random) -> str:
    """Return the same headline with small punctuation differences, as a second outlet writes it."""
    if lang == "ja":
        swaps = [("、", " "), ("「", "『"), ("」", "』"), ("AI", "ＡＩ"), ("　", " ")]
        out = title
        for a, b in rng.sample(swaps, len(swaps)):
            if a in out:
                out = out.replace(a, b)
                break
        return out + "。" if out == title else out
    swaps = [(": ", " - "), (", ", " , "), ("'", "\u2019"), (" - ", ": ")]
    for a, b in swaps:
        if a in title:
            return title.replace(a, b, 1)
    return title + "."


def _cross_posts(rng: random.Random, drafts: list[_Draft]) -> list[_Draft]:
    """Copy some stories to a sister feed: same URL (syndication) or a near-identical title."""
    load: dict[tuple[str, int], int] = {}
    for d in drafts:
        load[(d.feed, _week_of(d.when))] = load.get((d.feed, _week_of(d.when)), 0) + 1
    copies = []
    for d in drafts:
        for target, mode, rate in _FEED_SPECS[d.feed].get("crosspost", []):
            spec = _FEED_SPECS[target]
            when = d.when + timedelta(hours=rng.randrange(2, 40))
            week = _week_of(when)
            if rng.random() >= rate or week >= DEMO_WEEKS or load.get((target, week), 0) >= spec["max"] + 1:
                continue
            load[(target, week)] = load.get((target, week), 0) + 1
            if mode == "url":
                d.syndicated = True
                copies.append(_Draft(target, d.title, d.techs, when, d.summary, source=d))
            else:
                copies.append(_Draft(target, _variant(d.title, spec["lang"], rng), d.techs, when, d.summary))
            break
    return copies


def _summary(rng: random.Random, d: _Draft, spec: dict[str, Any]) -> str:
    """Write a short HTML summary; some carry links, bold text or an inline script to be stripped."""
    slots = _load_slots()[_pool(spec)]
    if d.summary:
        body = d.summary
    elif d.techs:
        body = rng.choice(_techs()[d.techs[0]]["about"][spec["lang"]])
    else:
        body = rng.choice(slots["misc"])
    tail = rng.choice(slots["tail"])
    roll = rng.random()
    host = f"https://{spec['slug']}.demo.invalid"
    if spec["html"] == "plain" or roll < 0.45:
        html = f"<p>{escape(body)}{escape(tail)}</p>"
    elif roll < 0.7:
        html = f"<p><b>{escape(body)}</b>{escape(tail)}</p>"
    elif roll < 0.93:
        tag = d.techs[0] if d.techs else "news"
        html = f'<p>{escape(body)}<a href="{host}/tag/{tag}">{escape(slots["more"])}</a></p>'
    else:
        html = f"<p>{escape(body)}{escape(tail)}</p><script>window.demoStats&&demoStats.hit('{d.feed}')</script>"
    return html


@functools.cache
def _load_slots() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = _load("slots.yaml")
    return data


def _finish(rng: random.Random, drafts: list[_Draft]) -> list[_Draft]:
    """Order each feed, then give items their links, guids, summaries and missing dates."""
    drafts.sort(key=lambda d: (d.when, d.feed, d.title))
    seqs: dict[str, int] = {}
    for d in drafts:
        spec = _FEED_SPECS[d.feed]
        seqs[d.feed] = seq = seqs.get(d.feed, spec.get("seq_start", 1000)) + 1
        w = d.when
        path = spec["path"].format(y=w.year, m=w.month, d=w.day, seq=seq)
        canonical = f"https://{d.feed}.demo.invalid/{path}"
        d.guid = {"none": None, "opaque": f"{d.feed}-{seq}", "permalink": canonical}[spec["guid"]]
        if spec["format"] == "atom":
            d.guid = f"tag:{d.feed}.demo.invalid,{w.date().isoformat()}:{seq}"
        d.link = canonical
        if not d.syndicated and rng.random() < spec.get("utm", 0.0):
            d.link = f"{canonical}?utm_source=rss&utm_medium=feed&utm_campaign={d.feed}"
        d.extra["summary"] = _summary(rng, d, spec)
    for d in drafts:
        if d.source is not None:
            d.link = d.source.link
        undated = _FEED_SPECS[d.feed].get("undated", 0.0)
        if undated and d.source is None and rng.random() < undated:
            d.dated = False
    return drafts


@functools.cache
def _corpus() -> tuple[_Draft, ...]:
    rng = random.Random(DEMO_SEED)
    writer = _Writer(rng)
    drafts = _event_drafts(rng, writer)
    taken: dict[tuple[str, int], int] = {}
    for d in drafts:
        taken[(d.feed, _week_of(d.when))] = taken.get((d.feed, _week_of(d.when)), 0) + 1
    drafts += _filler_drafts(rng, writer, taken)
    drafts += _cross_posts(rng, drafts)
    return tuple(_finish(rng, drafts))


def _entry(d: _Draft) -> DemoEntry:
    when = d.when if d.dated else None
    return DemoEntry(d.feed, d.guid, d.link, d.title, d.extra["summary"], when, d.techs)


@functools.cache
def _demo_entries() -> tuple[DemoEntry, ...]:
    return tuple(_entry(d) for d in _corpus())


def demo_entries() -> list[DemoEntry]:
    """Return every entry of every feed, oldest first; built once, since the data never changes."""
    return list(_demo_entries())


def _rss2(feed: DemoFeed, spec: dict[str, Any], items: list[_Draft], built: datetime) -> str:
    out = [
        f'<rss version="2.0"><channel><title>{escape(feed.title)}</title>',
        f"<link>https://{feed.slug}.demo.invalid/</link>",
        f"<description>{escape(spec['description'])}</description><language>{feed.lang}</language>",
        f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>",
    ]
    for d in items:
        out.append(f"<item><title>{escape(d.title)}</title><link>{escape(d.link)}</link>")
        if d.guid is not None:
            perma = "true" if spec["guid"] == "permalink" else "false"
            out.append(f'<guid isPermaLink="{perma}">{escape(d.guid)}</guid>')
        if d.dated:
            out.append(f"<pubDate>{format_datetime(d.when)}</pubDate>")
        summary = d.extra["summary"]
        body = f"<![CDATA[{summary}]]>" if spec["html"] == "cdata" else escape(summary)
        out.append(f"<description>{body}</description></item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def _rss1(feed: DemoFeed, spec: dict[str, Any], items: list[_Draft], built: datetime) -> str:
    home = f"https://{feed.slug}.demo.invalid/"
    out = [
        '<rdf:RDF xmlns="http://purl.org/rss/1.0/"',
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
        f' xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="{feed.lang}">',
        f"<channel rdf:about={quoteattr(home + 'index.rdf')}><title>{escape(feed.title)}</title>",
        f"<link>{home}</link><description>{escape(spec['description'])}</description>",
        f"<dc:language>{feed.lang}</dc:language><dc:date>{built.isoformat()}</dc:date>",
        "<items><rdf:Seq>",
        *(f"<rdf:li rdf:resource={quoteattr(d.guid or d.link)}/>" for d in items),
        "</rdf:Seq></items></channel>",
    ]
    for d in items:
        out.append(f"<item rdf:about={quoteattr(d.guid or d.link)}><title>{escape(d.title)}</title>")
        out.append(f"<link>{escape(d.link)}</link><description>{escape(d.extra['summary'])}</description>")
        if d.dated:
            out.append(f"<dc:date>{d.when.isoformat()}</dc:date>")
        out.append("</item>")
    out.append("</rdf:RDF>")
    return "\n".join(out)


def _atom(feed: DemoFeed, spec: dict[str, Any], items: list[_Draft], built: datetime) -> str:
    home = f"https://{feed.slug}.demo.invalid/"
    out = [
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{feed.lang}">',
        f"<title>{escape(feed.title)}</title><subtitle>{escape(spec['description'])}</subtitle>",
        f"<id>{home}</id><updated>{built.isoformat()}</updated>",
        f'<link rel="alternate" href="{home}"/><link rel="self" href="{home}atom.xml"/>',
        f"<author><name>{escape(feed.title)}</name></author>",
    ]
    for d in items:
        stamp = d.when.isoformat()
        out.append(f"<entry><title>{escape(d.title)}</title><id>{escape(d.guid or d.link)}</id>")
        out.append(f"<link rel=\"alternate\" href={quoteattr(d.link)}/>")
        out.append(f"<published>{stamp}</published><updated>{stamp}</updated>")
        out.append(f'<summary type="html">{escape(d.extra["summary"])}</summary></entry>')
    out.append("</feed>")
    return "\n".join(out)


_RENDER = {"rss2": _rss2, "rss1": _rss1, "atom": _atom}


def snapshot(feed_slug: str, week_index: int) -> bytes:
    """Return the feed document as served at the end of week `week_index` (newest 30 items).

    Consecutive snapshots overlap, as real feeds do, so re-ingesting them exercises dedupe.
    """
    if feed_slug not in _FEED_SPECS:
        raise ValueError(f"demo: unknown feed {feed_slug!r}")
    end = _week_end(week_index)
    spec = _FEED_SPECS[feed_slug]
    feed = next(f for f in DEMO_FEEDS if f.slug == feed_slug)
    items = [d for d in _corpus() if d.feed == feed_slug and d.when <= end]
    items = sorted(items, key=lambda d: d.when, reverse=True)[:SNAPSHOT_LIMIT]
    built = max((d.when for d in items), default=end)
    body = _RENDER[feed.format](feed, spec, items, built)
    prolog = f'<?xml version="1.0" encoding="{spec["xml_encoding"]}"?>\n'
    return (prolog + body + "\n").encode(feed.encoding, errors="xmlcharrefreplace")
