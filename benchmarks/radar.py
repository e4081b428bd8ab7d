"""Radar benchmark: a million dated headlines from archive to weekly radar edition.

Run from the repository root::

    python benchmarks/radar.py                  # 1,000,000 rows (about seven minutes on 2 cores)
    python benchmarks/radar.py --quick          # 50,000 rows (smoke run)
    python benchmarks/radar.py --rows 200000 --out /tmp/stores   # keep the store for app.py
    python benchmarks/radar.py --profile        # cProfile every phase (times inflated)

The generator writes N deterministic rows (seeded) to a temporary JSONL.gz, in date order,
spread over four years (1,461 days to 2026-11-22) and twenty sources (nine Japanese, eleven
English). Most headlines mention one or two real technologies of ``taxonomy.yaml``, spelled
with their own aliases (Japanese aliases in Japanese headlines, English ones in English
headlines, ``ja_only`` aliases only where there is kana); about a tenth mention none. Each
technology follows a life-cycle shape: steady, rising (logistic), one spike that fades,
recurring spikes, or declining, with hand-picked shapes for well-known cases (generative AI
rising, the metaverse and NFTs declining, Threads and the Vision Pro spiking, MCP and AI
agents rising late) and seeded ones for the rest. Niche technologies are covered by a few
sources only, broad ones by most; spiking ones lean on hype words, steady and rising ones
on adoption words; about 4% of headlines are syndicated (the same URL and headline in a
second source, one story with two sources).

One run measures, into a fresh SQLite file:

(a) ``import_archive`` of the whole file: rows/s (target >= 10,000 rows/s);
(b) ``link_store``: items linked to technologies per second, and the share with a mention;
    then ``score_store`` (weak rules, as ``radar import-archive`` runs it) for reference;
(c) the weekly signals: ``load_weekly`` (SQL aggregation) and ``build_series``, seconds;
(d) ONE edition, the newest week: ``build_editions(db, taxonomy, [week], now)`` (target
    <= 30 s at 1,000,000 items);
(e) for reference, 52 editions (the newest year) in one ``build_editions`` call.

Memory is the peak resident set size of this process per phase (VmHWM, reset before each
phase through /proc/self/clear_refs on Linux; elsewhere ru_maxrss, a process-wide peak).
The database size is the main file plus its WAL. ``--out DIR`` keeps the store as
``DIR/radar-<rows>.db`` for ``benchmarks/app.py --stores DIR``. Generation is not timed.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import gc
import gzip
import io
import json
import math
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is called radar.py: drop its folder from the path so ``import radar`` finds the
# package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from radar.classify.linking import link_store  # noqa: E402
from radar.classify.retrain import score_store  # noqa: E402
from radar.ingest.archive import import_archive, read_archive  # noqa: E402
from radar.staying.editions import build_editions  # noqa: E402
from radar.staying.signals import build_series  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.store.weekly import load_weekly, week_label, week_of  # noqa: E402
from radar.taxonomy.load import load_taxonomy  # noqa: E402
from radar.taxonomy.model import Taxonomy, Tech  # noqa: E402
from radar.timefmt import from_iso  # noqa: E402

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
END = date(2026, 11, 22)
DAYS = 4 * 365 + 1
START = END - timedelta(days=DAYS - 1)
SEED = 20261123
TARGET_IMPORT_ROWS_S = 10_000
TARGET_EDITION_S = 30.0
DEFAULT_ROWS = 1_000_000
QUICK_ROWS = 50_000
REFERENCE_EDITIONS = 52

# --- sources ---------------------------------------------------------------------------------

# (name, domain, language, weight, whether rows carry a ``lang`` column, summary share)
SOURCES: tuple[tuple[str, str, str, float, bool, float], ...] = (
    ("ITmedia-like", "itmedia.example.jp", "ja", 14, True, 0.0),
    ("Impress Watch-like", "impress.example.jp", "ja", 10, True, 0.3),
    ("xTECH-like", "xtech.example.jp", "ja", 8, False, 0.0),
    ("gihyo-like", "gihyo.example.jp", "ja", 4, True, 0.0),
    ("Publickey-like", "publickey.example.jp", "ja", 3, True, 0.5),
    ("Jichitai Tsushin-like", "jichitai.example.jp", "ja", 5, True, 0.0),
    ("ZDNET Japan-like", "zdnet.example.jp", "ja", 6, False, 0.0),
    ("ASCII-like", "ascii.example.jp", "ja", 5, True, 0.0),
    ("Digital Agency News-like", "digital-gov.example.jp", "ja", 2, True, 0.8),
    ("TechCrunch-like", "techcrunch.example.com", "en", 9, True, 0.4),
    ("The Verge-like", "verge.example.com", "en", 8, True, 0.0),
    ("Ars-like", "ars.example.com", "en", 5, False, 0.0),
    ("HN-like", "news.hn.example.com", "en", 16, True, 0.0),
    ("The Register-like", "register.example.co.uk", "en", 5, True, 0.0),
    ("Wired-like", "wired.example.com", "en", 4, True, 0.3),
    ("InfoQ-like", "infoq.example.com", "en", 3, True, 0.0),
    ("GovTech-like", "govtech.example.com", "en", 3, True, 0.5),
    ("ZDNet-like", "zdnet.example.com", "en", 5, False, 0.0),
    ("BleepingComputer-like", "bleeping.example.com", "en", 3, True, 0.0),
    ("VentureBeat-like", "venturebeat.example.com", "en", 4, True, 0.0),
)
TRACKING = ("", "", "", "?utm_source=rss&utm_medium=feed", "?ref=rss")

# --- headline vocabulary ---------------------------------------------------------------------

JA_SUBJECTS = (
    "デジタル庁", "総務省", "経済産業省", "東京都", "大阪府", "横浜市", "福岡市", "札幌市",
    "神戸市", "つくば市", "浜松市", "会津若松市", "前橋市", "加賀市", "富士通", "NEC",
    "NTTデータ", "日立製作所", "ソフトバンク", "KDDI", "楽天", "トヨタ", "サイボウズ",
    "メルカリ", "日本マイクロソフト", "AWSジャパン", "IPA", "理化学研究所", "京都大学",
    "地方銀行", "県内の自治体", "中小企業", "大手損保", "国立大学", "政令市", "製造業各社",
)  # fmt: skip
EN_SUBJECTS = (
    "OpenAI", "Google", "Microsoft", "Amazon", "Meta", "Apple", "NVIDIA", "Cloudflare",
    "IBM", "Oracle", "Salesforce", "Red Hat", "the EU", "NIST", "the UK government",
    "Singapore", "Estonia", "the City of Helsinki", "New York City", "a Texas county",
    "Databricks", "a startup", "Big banks", "Hospitals", "Universities", "Retailers",
    "Automakers", "Insurers", "The Pentagon", "Canada's CDS", "Germany", "India",
)  # fmt: skip
JA_ADOPT = (
    "を本格導入", "を採用", "の標準化を完了", "の調達を開始", "を全庁に導入", "の本格運用を開始",
    "へ移行完了", "の正式版を提供", "を導入、業務時間を3割削減", "の運用開始を発表",
)  # fmt: skip
JA_HYPE = (
    "が話題に", "ブームの行方", "に熱狂", "に期待集まる", "は革命か", "が急騰", "に注目",
    "が描く未来", "バズの裏側", "の流行、どこまで続く",
)  # fmt: skip
JA_NEUTRAL = (
    "の実証実験を開始", "に関する調査結果", "の課題を議論", "の新機能を発表", "の勉強会を開催",
    "の事例を紹介", "のセキュリティ対策", "の費用を試算", "の活用方針を公表", "の解説記事",
    "の利用状況を分析", "の検討会が初会合", "の研修を実施", "に関する意見募集",
)  # fmt: skip
EN_ADOPT = (
    "adopts {a}", "rolls out {a} to all staff", "moves {a} into production",
    "completes migration to {a}", "issues {a} procurement tender", "makes {a} generally available",
    "standardises on {a}", "mandates {a} for agencies", "deploys {a} across offices",
)  # fmt: skip
EN_HYPE = (
    "says {a} is the next big thing", "bets big as {a} hype grows", "rides the {a} craze",
    "joins the {a} frenzy", "calls {a} a game-changer", "sees {a} stocks soar",
    "warns of an {a} bubble",
)  # fmt: skip
EN_NEUTRAL = (
    "pilots {a}", "publishes a report on {a}", "explains how it uses {a}", "tests {a}",
    "launches {a} features", "studies the cost of {a}", "hires for {a}", "opens {a} lab",
    "shares lessons from {a}", "weighs {a} options", "drops {a} after review",
)  # fmt: skip
JA_TAILS = (
    "", "", "", "（第{n}回）", "、{n}件の事例", "—現場の声", "、来年度から", "、{n}自治体で",
    "、費用は{n}万円", "【{n}】", "、年内に", "—担当者に聞く", "、{n}人が参加",
)  # fmt: skip
EN_TAILS = (
    "", "", "", " ({n})", " in {n} offices", ": what we learned", " this year", " for {n} users",
    " after {n} days", ", report says", " (part {n})", " at scale",
)  # fmt: skip
JA_GENERIC = (
    "{s}、新年度の組織改編を発表", "{s}が決算を発表、増収増益", "{s}、新社長に{n}氏",
    "{s}の窓口、混雑緩和へ予約制に", "{s}、職員採用試験の日程を公表",
)  # fmt: skip
EN_GENERIC = (
    "{s} reports quarterly results", "{s} names a new chief executive",
    "{s} reorganises its product teams", "{s} opens a new office in {n} cities",
    "{s} faces questions over pricing",
)  # fmt: skip
_EXCLUDED_WORDS = ("AI", "VR", "XR", "ML")  # generic words that would blur the shapes


# --- life-cycle shapes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """Relative weekly coverage of one technology as a function of the day (0 .. DAYS-1)."""

    kind: str  # steady, rising, spike, spikes, declining
    level: float
    centre: float = 0.5  # as a share of the period (rising: midpoint; spike: peak)
    width: float = 0.05
    floor: float = 0.05

    def at(self, day: int) -> float:
        x = day / (DAYS - 1)
        if self.kind == "steady":
            return self.level * (1.0 + 0.15 * math.sin(2 * math.pi * x * 4 + self.centre * 7))
        if self.kind == "rising":
            return self.level * (self.floor + 1 / (1 + math.exp(-(x - self.centre) / self.width)))
        if self.kind == "spike":
            peak = math.exp(-(((x - self.centre) / self.width) ** 2))
            after = 0.15 * math.exp(-max(x - self.centre, 0) / 0.3) if x > self.centre else 0
            return self.level * (self.floor + peak + after)
        if self.kind == "spikes":  # recurring bursts (elections, incidents)
            bursts = sum(
                math.exp(-(((x - c) / 0.015) ** 2)) for c in (0.12, 0.37, 0.55, 0.81, 0.96)
            )
            return self.level * (self.floor * 4 + bursts)
        return self.level * (self.floor + (1 - x) ** 2)  # declining


def _day(text: str) -> float:
    """Share of the period at which a date falls (may be outside 0..1)."""
    return (date.fromisoformat(text) - START).days / (DAYS - 1)


# Hand-picked shapes for technologies whose recent history is well known.
KNOWN: dict[str, Shape] = {
    "generative-ai": Shape("rising", 9.0, _day("2023-03-01"), 0.04, 0.1),
    "chatgpt": Shape("spike", 6.0, _day("2023-03-15"), 0.08, 0.35),
    "llm": Shape("rising", 6.0, _day("2023-06-01"), 0.08, 0.1),
    "ai-agent": Shape("rising", 5.0, _day("2025-06-01"), 0.05, 0.02),
    "mcp": Shape("rising", 3.0, _day("2025-05-01"), 0.03, 0.0),
    "rag": Shape("rising", 2.5, _day("2024-04-01"), 0.08, 0.02),
    "claude": Shape("rising", 2.5, _day("2024-06-01"), 0.1, 0.05),
    "gemini": Shape("rising", 2.5, _day("2024-01-01"), 0.06, 0.02),
    "japanese-llm": Shape("rising", 1.5, _day("2024-09-01"), 0.1, 0.05),
    "ai-governance": Shape("rising", 2.0, _day("2024-05-01"), 0.1, 0.1),
    "metaverse": Shape("declining", 4.0, floor=0.01),
    "nft": Shape("declining", 3.0, floor=0.003),
    "web3": Shape("declining", 2.5, floor=0.005),
    "cryptocurrency": Shape("spikes", 1.5, floor=0.3),
    "stable-diffusion": Shape("declining", 2.0, floor=0.01),
    "threads": Shape("spike", 5.0, _day("2023-07-10"), 0.015, 0.01),
    "bluesky": Shape("spike", 3.0, _day("2024-11-15"), 0.02, 0.08),
    "vr-headset": Shape("spike", 4.0, _day("2024-02-05"), 0.03, 0.03),
    "image-generation-ai": Shape("spike", 3.0, _day("2024-02-20"), 0.05, 0.3),
    "deepfake": Shape("spikes", 1.2, floor=0.15),
    "e-voting": Shape("spikes", 0.8, floor=0.1),
    "ransomware": Shape("spikes", 2.0, floor=0.6),
    "ddos": Shape("spikes", 0.8, floor=0.2),
    "government-cloud": Shape("rising", 4.0, _day("2025-01-01"), 0.1, 0.3),
    "municipal-system-standardisation": Shape("rising", 3.0, _day("2025-03-01"), 0.08, 0.3),
    "my-number-card": Shape("spike", 5.0, _day("2023-06-15"), 0.04, 0.6),
    "fax": Shape("declining", 1.5, floor=0.1),
    "floppy-disk": Shape("declining", 0.8, floor=0.002),
    "hanko": Shape("declining", 1.5, floor=0.1),
    "internet-explorer": Shape("declining", 1.0, floor=0.0),
    "twitter-x": Shape("declining", 3.0, floor=0.1),
    "quantum-computing": Shape("rising", 2.0, _day("2025-01-01"), 0.25, 0.3),
    "post-quantum-cryptography": Shape("rising", 1.5, _day("2024-08-15"), 0.1, 0.1),
    "passkeys": Shape("rising", 2.0, _day("2024-01-01"), 0.15, 0.2),
    "kubernetes": Shape("steady", 3.0),
    "aws": Shape("steady", 5.0),
    "azure": Shape("steady", 3.0),
    "linux": Shape("steady", 3.0),
    "python": Shape("steady", 3.0),
    "docker": Shape("steady", 2.0),
    "zero-trust": Shape("steady", 2.0),
    "microsoft-365": Shape("steady", 3.0),
    "gpu": Shape("rising", 4.0, _day("2023-09-01"), 0.1, 0.3),
    "telework": Shape("declining", 2.0, floor=0.3),
    "drones": Shape("steady", 2.0),
    "autonomous-driving": Shape("steady", 2.5),
    "6g": Shape("rising", 1.0, _day("2025-06-01"), 0.2, 0.3),
    "leo-satellite": Shape("rising", 1.5, _day("2024-06-01"), 0.15, 0.2),
    "smart-city": Shape("steady", 1.5),
}


def seeded_shape(tech: Tech, rng: random.Random) -> Shape:
    """A shape for a technology without a hand-picked one: half steady, a long tail of levels."""
    level = 0.03 + 2.0 * rng.random() ** 4
    pick = rng.random()
    if pick < 0.5:
        return Shape("steady", level, rng.random())
    if pick < 0.65:
        return Shape("rising", level, rng.uniform(0.2, 0.9), rng.uniform(0.03, 0.15), 0.01)
    if pick < 0.85:  # a fad: one burst, then almost nothing
        return Shape("spike", level * 3, rng.uniform(0.1, 0.9), rng.uniform(0.01, 0.04), 0.003)
    if pick < 0.92:
        return Shape("spikes", level, floor=0.02)
    return Shape("declining", level, floor=0.005)


# --- the generator ---------------------------------------------------------------------------


def _has_kana(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" for ch in text)


@dataclass
class TechPlan:
    """How one technology appears in the archive: shape, aliases and covering sources."""

    tech: Tech
    shape: Shape
    ja_aliases: list[str]
    en_aliases: list[str]
    ja_share: float
    hype: float  # share of hype wording (adoption wording gets the mirror share)
    sources: dict[str, tuple[list[int], list[float]]] = field(default_factory=dict)


def plan_techs(taxonomy: Taxonomy, rng: random.Random) -> list[TechPlan]:
    """A deterministic plan per technology of the taxonomy."""
    plans = []
    for tech in taxonomy.techs:
        aliases = [a for a in tech.aliases if a not in _EXCLUDED_WORDS]
        if not aliases:
            continue
        ja_only = set(tech.ja_only)
        ja_aliases = [a for a in aliases if not a.isascii()] or aliases
        en_aliases = [a for a in aliases if a.isascii() and a not in ja_only]
        shape = KNOWN.get(tech.id) or seeded_shape(tech, rng)
        has_ja = any(not a.isascii() for a in aliases)
        ja_share = 0.0 if not has_ja else (1.0 if not en_aliases else 0.45)
        if tech.municipal and 0 < ja_share < 1:
            ja_share = 0.75
        hype = {"spike": 0.45, "spikes": 0.3, "declining": 0.35}.get(shape.kind, 0.1)
        plan = TechPlan(tech, shape, ja_aliases, en_aliases, ja_share, hype)
        broad = shape.level >= 1.0 or shape.kind == "spike"
        for lang in ("ja", "en"):
            indices = [i for i, s in enumerate(SOURCES) if s[2] == lang]
            if broad:
                chosen = [i for i in indices if rng.random() < 0.85] or indices[:2]
            else:
                chosen = rng.sample(indices, rng.randint(2, 4))
            plan.sources[lang] = (chosen, _cumulative([SOURCES[i][3] for i in chosen]))
        plans.append(plan)
    return plans


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _pick(rng: random.Random, items: list[Any], cumulative: list[float]) -> Any:
    return items[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


def _headline(rng: random.Random, plan: TechPlan, lang: str, n: int, other: str | None) -> str:
    roll = rng.random()
    if lang == "ja":
        alias = rng.choice(plan.ja_aliases)
        if other:
            alias = f"{alias}と{other}"
        if roll < plan.hype:
            action = rng.choice(JA_HYPE)
        elif roll < plan.hype + (0.35 if plan.hype < 0.3 else 0.15):
            action = rng.choice(JA_ADOPT)
        else:
            action = rng.choice(JA_NEUTRAL)
        tail = rng.choice(JA_TAILS).format(n=n % 97 + 2)
        return f"{rng.choice(JA_SUBJECTS)}、{alias}{action}{tail}"
    alias = rng.choice(plan.en_aliases)
    if other:
        alias = f"{alias} and {other}"
    if roll < plan.hype:
        action = rng.choice(EN_HYPE)
    elif roll < plan.hype + (0.35 if plan.hype < 0.3 else 0.15):
        action = rng.choice(EN_ADOPT)
    else:
        action = rng.choice(EN_NEUTRAL)
    tail = rng.choice(EN_TAILS).format(n=n % 97 + 2)
    return f"{rng.choice(EN_SUBJECTS)} {action.format(a=alias)}{tail}"


def _other_alias(
    rng: random.Random, plans: list[TechPlan], cumulative: list[float], lang: str
) -> str | None:
    """An alias of a second technology, chosen by that day's coverage like the first."""
    other = _pick(rng, plans, cumulative)
    pool = other.ja_aliases if lang == "ja" else other.en_aliases
    return rng.choice(pool) if pool else None


def generate(path: Path, rows: int, taxonomy: Taxonomy, seed: int = SEED) -> dict[str, int]:
    """Write ``rows`` archive rows to ``path`` (gzip JSON Lines) in date order; return counts."""
    rng = random.Random(seed)
    plans = plan_techs(taxonomy, rng)
    by_lang = {lang: [i for i, s in enumerate(SOURCES) if s[2] == lang] for lang in ("ja", "en")}
    lang_cum = {lang: _cumulative([SOURCES[i][3] for i in idx]) for lang, idx in by_lang.items()}
    # Weekdays carry more news than weekends; rows per day follow that, summing to ``rows``.
    day_weight = [0.45 if (START + timedelta(days=d)).weekday() >= 5 else 1.0 for d in range(DAYS)]
    scale = rows / sum(day_weight)
    counts: Counter[str] = Counter()
    recent: list[tuple[str, str, str]] = []  # (url, title, lang) for syndication
    written = 0
    carry = 0.0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=5) as out:
        for d in range(DAYS):
            day = START + timedelta(days=d)
            carry += day_weight[d] * scale
            today = int(carry) if d < DAYS - 1 else rows - written
            carry -= today
            tech_cum = _cumulative([p.shape.at(d) for p in plans])
            lines = []
            for _ in range(today):
                n = written
                written += 1
                if recent and rng.random() < 0.04:  # the same story in a second source
                    url, title, lang = rng.choice(recent)
                    first = url.split("/")[2]
                    source = SOURCES[_pick(rng, by_lang[lang], lang_cum[lang])]
                    while source[1] == first:  # a second source, never the first again
                        source = SOURCES[_pick(rng, by_lang[lang], lang_cum[lang])]
                    counts["syndicated"] += 1
                elif rng.random() < 0.1:  # no technology at all
                    lang = "ja" if rng.random() < 0.45 else "en"
                    source = SOURCES[_pick(rng, by_lang[lang], lang_cum[lang])]
                    generic = rng.choice(JA_GENERIC if lang == "ja" else EN_GENERIC)
                    subjects = JA_SUBJECTS if lang == "ja" else EN_SUBJECTS
                    title = generic.format(s=rng.choice(subjects), n=n % 89 + 2)
                    url = f"https://{source[1]}/{day:%Y/%m/%d}/{n:08d}.html"
                    counts["generic"] += 1
                else:
                    plan = _pick(rng, plans, tech_cum)
                    lang = "ja" if rng.random() < plan.ja_share else "en"
                    chosen, cum = plan.sources[lang]
                    source = SOURCES[_pick(rng, chosen, cum)]
                    other = (
                        _other_alias(rng, plans, tech_cum, lang) if rng.random() < 0.08 else None
                    )
                    title = _headline(rng, plan, lang, n, other)
                    url = f"https://{source[1]}/{day:%Y/%m/%d}/{n:08d}.html"
                    recent.append((url, title, lang))
                    if len(recent) > 400:
                        del recent[:200]
                    counts["tech"] += 1
                name, _domain, source_lang, _w, with_lang, summary_share = source
                stamp = f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
                row: dict[str, str] = {
                    "date": stamp + ("+09:00" if source_lang == "ja" else "Z"),
                    "title": title,
                    "url": url + rng.choice(TRACKING),
                    "source": name,
                }
                if with_lang:
                    row["lang"] = source_lang
                if summary_share and rng.random() < summary_share:
                    row["summary"] = (
                        f"{title}。担当者によると、今後の展開も検討している。"
                        if source_lang == "ja"
                        else f"{title}. Officials said further steps are under review."
                    )
                counts[source_lang] += 1
                lines.append(json.dumps(row, ensure_ascii=False))
            if lines:
                out.write("\n".join(lines) + "\n")
    counts["rows"] = written
    return dict(counts)


# --- measurement -----------------------------------------------------------------------------


def _status_kib(name: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_hwm() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return _status_kib("VmHWM") is not None


@dataclass
class Phase:
    """One measured phase: wall time and peak memory."""

    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mib: float = 0.0
    growth_mib: float = 0.0
    profile: str = ""


@contextmanager
def measure(phase: Phase, profile: bool = False) -> Iterator[None]:
    """Time a block; take this process's peak RSS during it (reset first where possible)."""
    gc.collect()
    hwm = _reset_hwm()
    start_kib = _status_kib("VmRSS") or 0
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    try:
        yield
    finally:
        if profiler:
            profiler.disable()
        phase.seconds = time.perf_counter() - started
        phase.cpu_seconds = time.process_time() - cpu
        if hwm:
            peak_kib = _status_kib("VmHWM") or 0
        else:
            peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        phase.peak_mib = peak_kib / 1024
        phase.growth_mib = (peak_kib - start_kib) / 1024
        if profiler:
            phase.profile = top_functions(profiler)


def top_functions(profiler: cProfile.Profile, lines: int = 20) -> str:
    """The top functions by own time and by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


def db_mb(path: Path) -> float:
    """Size of the database: main file plus WAL, in MB."""
    files = [path, Path(f"{path}-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


@dataclass
class Store:
    """A benchmark store and what building it measured."""

    path: Path
    rows: int
    phases: dict[str, Phase] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)


def newest_week(db: Any) -> int:
    """Week number of the newest item."""
    return week_of(from_iso(db.execute("SELECT max(published_at) FROM items").fetchone()[0]))


def build_store(
    path: Path, archive: Path, rows: int, *, editions: int = REFERENCE_EDITIONS,
    profile: bool = False, say: Callable[[str], None] = lambda _: None,
) -> Store:  # fmt: skip
    """Import, link, score and build editions into a fresh store at ``path``, measuring each."""
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    store = Store(path, rows)
    taxonomy = load_taxonomy()
    db = open_db(path)
    phase = store.phases.setdefault("import", Phase("(a) import_archive"))
    with measure(phase, profile):
        result = import_archive(db, archive, NOW)
    store.facts["import"] = result
    say(
        f"(a) import_archive: {result.rows:,} rows in {phase.seconds:.1f} s ="
        f" {result.rows / phase.seconds:,.0f} rows/s (inserted {result.inserted:,},"
        f" duplicates {result.duplicates:,}, bad {result.bad:,}, sources {len(result.sources)})"
    )
    if profile:  # the reader thread is invisible to cProfile above: profile it on its own
        phase = store.phases.setdefault("read", Phase("(a) read_archive only"))
        with measure(phase, profile):
            parsed = sum(1 for _ in read_archive(archive))
        say(
            f"    read_archive alone (the import's reader thread, profiled): {parsed:,} rows"
            f" in {phase.seconds:.1f} s"
        )
    phase = store.phases.setdefault("link", Phase("(b) link_store"))
    with measure(phase, profile):
        linked = link_store(db, taxonomy)
    with_mention, mentions = db.execute(
        "SELECT count(DISTINCT item_id), count(*) FROM mentions"
    ).fetchone()
    store.facts["linked"] = linked
    say(
        f"(b) link_store: {linked:,} items in {phase.seconds:.1f} s ="
        f" {linked / phase.seconds:,.0f} items/s; {with_mention:,} items"
        f" ({with_mention / max(linked, 1):.0%}) mention a technology, {mentions:,} links"
    )
    phase = store.phases.setdefault("score", Phase("    score_store"))
    with measure(phase, profile):
        model = score_store(db, taxonomy, path.parent / "models", NOW)
    say(
        f"    score_store ({model}, reference): {linked:,} items in {phase.seconds:.1f} s ="
        f" {linked / phase.seconds:,.0f} items/s"
    )
    phase = store.phases.setdefault("weekly", Phase("(c) load_weekly"))
    with measure(phase, profile):
        data = load_weekly(db)
    series_phase = store.phases.setdefault("series", Phase("(c) build_series"))
    with measure(series_phase, profile):
        series = build_series(data)
    say(
        f"(c) weekly signals: load_weekly {phase.seconds:.2f} s"
        f" ({len(data.mentions):,} tech-week-feed-lang rows), build_series"
        f" {series_phase.seconds:.2f} s ({len(series)} technologies);"
        f" together {phase.seconds + series_phase.seconds:.2f} s"
    )
    del data, series
    week = newest_week(db)
    phase = store.phases.setdefault("edition", Phase("(d) 1 edition"))
    with measure(phase, profile):
        build_editions(db, taxonomy, [week], NOW)
    rings = Counter(
        ring
        for (ring,) in db.execute("SELECT ring FROM editions WHERE week = ?", [week_label(week)])
    )
    store.facts["week"] = week_label(week)
    say(
        f"(d) 1 edition ({week_label(week)}): {phase.seconds:.1f} s;"
        f" {sum(rings.values())} blips {dict(sorted(rings.items()))}"
    )
    if editions > 1:
        weeks = list(range(week - editions + 1, week + 1))
        phase = store.phases.setdefault("editions", Phase(f"(e) {editions} editions"))
        with measure(phase, profile):
            build_editions(db, taxonomy, weeks, NOW)
        say(
            f"(e) {editions} editions ({week_label(weeks[0])} .. {week_label(weeks[-1])}):"
            f" {phase.seconds:.1f} s = {phase.seconds / editions:.2f} s per edition"
        )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    store.facts["db_mb"] = db_mb(path)
    return store


def make_archive(workdir: Path, rows: int, say: Callable[[str], None]) -> Path:
    """Generate the synthetic archive (untimed) and describe it."""
    archive = workdir / f"synthetic-{rows}.jsonl.gz"
    started = time.perf_counter()
    counts = generate(archive, rows, load_taxonomy())
    say(
        f"generated {rows:,} rows ({archive.stat().st_size / 1e6:.0f} MB gzip) in"
        f" {time.perf_counter() - started:.1f} s (not timed): {START} .. {END},"
        f" {len(SOURCES)} sources, ja {counts.get('ja', 0):,} / en {counts.get('en', 0):,},"
        f" {counts.get('tech', 0):,} about a technology, {counts.get('generic', 0):,} generic,"
        f" {counts.get('syndicated', 0):,} syndicated"
    )
    return archive


def report(store: Store) -> None:
    """Targets, peak memory per phase and the database size."""
    phases = store.phases
    rate = store.rows / phases["import"].seconds
    print()
    print(f"targets at {store.rows:,} rows:")
    print(
        f"  (a) import >= {TARGET_IMPORT_ROWS_S:,} rows/s: {rate:,.0f} rows/s"
        f" -> {verdict(rate >= TARGET_IMPORT_ROWS_S)}"
    )
    edition = phases["edition"].seconds
    scaled = "" if store.rows >= DEFAULT_ROWS else f" (measured at {store.rows:,} items)"
    print(
        f"  (d) one edition <= {TARGET_EDITION_S:.0f} s at 1M items: {edition:.1f} s{scaled}"
        f" -> {verdict(edition <= TARGET_EDITION_S)}"
    )
    print()
    print(
        "per phase: wall time, CPU time of this process (all threads), peak RSS (VmHWM reset"
        " before each phase) and its growth over the phase's start:"
    )
    for phase in phases.values():
        print(
            f"  {phase.name.strip():<22} {phase.seconds:8.2f} s wall {phase.cpu_seconds:8.2f} s CPU"
            f"   peak {phase.peak_mib:7.0f} MiB   growth {phase.growth_mib:+7.0f} MiB"
        )
    print(f"load average at the end (other processes compete for the CPUs): {_load()}")
    print(f"database: {store.facts['db_mb']:.0f} MB (main file + WAL) at {store.path}")
    for phase in phases.values():
        if phase.profile:
            print(f"\n--- cProfile: {phase.name.strip()} ---\n{phase.profile}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="synthetic rows")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows")
    parser.add_argument(
        "--editions", type=int, default=REFERENCE_EDITIONS, help="editions for phase (e)"
    )
    parser.add_argument("--out", type=Path, help="keep the store as OUT/radar-<rows>.db")
    parser.add_argument("--profile", action="store_true", help="cProfile every phase")
    args = parser.parse_args(argv)
    rows = QUICK_ROWS if args.quick else args.rows
    workdir = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {_load()},"
        f" work dir {workdir}"
    )
    if args.profile:
        print("--profile: every phase runs under cProfile, so its times are inflated")
    try:
        archive = make_archive(workdir, rows, print)
        path = (args.out or workdir) / f"radar-{rows}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        store = build_store(
            path, archive, rows, editions=args.editions, profile=args.profile, say=print
        )
        report(store)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
