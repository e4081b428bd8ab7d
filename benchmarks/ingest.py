"""Ingestion benchmark: the real fetch pipeline against a naive loop and feedparser alone.

Run from the repository root::

    python benchmarks/ingest.py                 # 500 feeds x 50 items (a few minutes)
    python benchmarks/ingest.py --quick         # 50 feeds x 20 items (smoke run)
    python benchmarks/ingest.py --feeds 200 --items 30 --concurrency 32
    python benchmarks/ingest.py --profile       # also profile phase (a) (extra, untimed pass)

A local HTTP server (``tests/feedserver.py``, run in a child process so it competes with the
measured code for neither the GIL nor the memory figures; TCP_NODELAY and a deep listen
backlog so it does not add delays real servers lack) serves N deterministic RSS 2.0 feeds of
M items each, with ETags. Titles mix Japanese and English and, as in real feeds, rarely share
their first or last ten characters (the story matcher's lookup keys); ``--suffix-share``
sets how many feeds append their site name to every title (1.0 is the matcher's worst case).
``run_fetch`` uses the product's HTTP defaults (``--concurrency``, ``--per-host`` override
them; on loopback raising either made no difference). One run measures four phases:

(a) ``radar fetch``: ``run_fetch(..., everything=True)`` into a fresh SQLite file;
(b) a naive baseline: sequential ``httpx.get`` + ``feedparser.parse`` + one INSERT and one
    commit per item into a plain sqlite3 table with a unique key;
(c) ``feedparser.parse`` alone over the same bytes, already in memory (the floor);
(d) a second ``run_fetch`` over the same database, where every feed answers 304.

Targets (ratios of wall times from the same run, so the machine cancels out):

* a/b <= 0.25: the pipeline is at least 4x faster than the naive loop;
* a/c <= 1.5: fetching, cleaning and storing cost at most half again what parsing costs;
* d/a <= 0.1: a poll where nothing changed costs at most a tenth of a full one.

Memory is the peak resident set size (VmHWM) of this process during each phase, reset before
the phase through /proc/self/clear_refs (Linux), shown with its growth over the RSS at the
start of the phase, plus the peak summed RSS of child processes (e.g. parse workers; sampled);
elsewhere it falls back to ``resource.getrusage`` ru_maxrss (a high-water mark for the whole
process so far). ``--tracemalloc`` reports tracemalloc's peak of Python
allocations instead, at the price of slower (so not comparable) wall times.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import os
import pstats
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
import httpx  # noqa: E402
from memory import reset_hwm, status_kib  # noqa: E402

from radar.config import HttpSettings, Settings  # noqa: E402
from radar.ingest.pipeline import RunSummary, run_fetch  # noqa: E402
from radar.records import FeedSpec  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.store.feeds import sync_feeds  # noqa: E402

BASE_TIME = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
SEED = 20261123
TARGET_A_B = 0.25
TARGET_A_C = 1.5
TARGET_D_A = 0.1

# ---------------------------------------------------------------------------------------------
# Deterministic feed content
# ---------------------------------------------------------------------------------------------

_JA_SUBJECTS = (
    "デジタル庁", "総務省", "経済産業省", "国土交通省", "厚生労働省", "文部科学省", "東京都",
    "大阪府", "横浜市", "福岡市", "札幌市", "神戸市", "つくば市", "浜松市", "会津若松市",
    "富士通", "NEC", "NTTデータ", "日立製作所", "ソフトバンク", "KDDI", "楽天グループ",
    "LINEヤフー", "トヨタ自動車", "さくらインターネット", "Preferred Networks", "サイボウズ",
    "freee", "SmartHR", "メルカリ", "マネーフォワード", "日本マイクロソフト", "AWSジャパン",
    "Google Cloud", "IPA", "JPCERT/CC", "情報通信研究機構", "理化学研究所", "京都大学",
    "東北大学",
)  # fmt: skip
_EN_SUBJECTS = (
    "OpenAI", "Anthropic", "Google", "Microsoft", "Amazon Web Services", "Meta", "Apple",
    "NVIDIA", "Cloudflare", "GitHub", "Mozilla", "Red Hat", "the EU Commission", "NIST",
    "the UK Government Digital Service", "Estonia's e-Residency team", "Singapore GovTech",
    "the City of Helsinki", "Code for America", "Hugging Face", "Databricks", "Snowflake",
    "the Linux Foundation", "the Rust Foundation", "CNCF",
)  # fmt: skip
_TECHS = (
    "生成AI", "ChatGPT", "大規模言語モデル", "RAG", "ガバメントクラウド", "マイナンバーカード",
    "ブロックチェーン", "Web3", "メタバース", "デジタルツイン", "5G", "ローカル5G", "IoT",
    "ドローン", "自動運転", "量子コンピュータ", "ゼロトラスト", "SASE", "Kubernetes",
    "ノーコード", "RPA", "電子契約", "キャッシュレス決済", "GIGAスクール", "オープンデータ",
    "PLATEAU", "エッジAI", "画像認識", "音声認識", "サイバーセキュリティ", "パスキー",
    "電子投票", "スマートシティ", "MaaS", "データ連携基盤", "AIエージェント", "衛星データ",
    "LPWA", "GX", "ベース・レジストリ",
)  # fmt: skip
_EN_TECHS = (
    "generative AI", "large language models", "retrieval-augmented generation", "passkeys",
    "zero-trust networking", "digital twins", "quantum-safe cryptography", "edge AI", "WebGPU",
    "Kubernetes", "eBPF", "WebAssembly", "open data portals", "digital identity wallets",
    "AI agents", "satellite imagery", "private 5G", "smart meters", "low-code platforms",
    "vector databases",
)  # fmt: skip
_JA_ACTIONS = (
    "の実証実験を開始", "を全庁導入へ", "の活用指針を公表", "で業務時間を3割削減",
    "の新サービスを発表", "に関する調査結果を公開", "の入札公告を開始", "の利用規約を改定",
    "の脆弱性に注意喚起", "の国内提供を開始", "の導入ガイドラインを改訂", "の共同研究に合意",
    "の運用コストを試算", "を窓口業務に試験導入", "の人材育成プログラムを拡充",
)  # fmt: skip
_EN_ACTIONS = (
    "launches a pilot of", "publishes guidance on", "open-sources its work on",
    "cuts costs with", "warns about a flaw in", "expands its programme for",
    "reports early results from", "signs a framework deal for", "retires its legacy stack for",
    "releases a public beta of",
)  # fmt: skip
_EN_TAILS = (
    "what municipalities need to know", "a hands-on review", "lessons from the first year",
    "security update released", "the full report is now online", "with a public API",
    "and what it means for local government", "early benchmarks look promising",
    "pricing and availability", "an interview with the project lead",
)  # fmt: skip
_JA_TAILS = (
    "(2026年度版)", "— 自治体向け解説", "、来春から本格運用", "【速報】", "、費用対効果を検証",
    "、住民サービス向上へ", "— 担当者インタビュー", "、全国展開も視野",
)  # fmt: skip
_JA_SENTENCES = (
    "関係者によると、初年度は一部の部署から段階的に導入し、効果を検証したうえで範囲を広げる方針だ。",
    "同様の取り組みは他の自治体でも始まっており、調達仕様の共通化が課題になっている。",
    "セキュリティと個人情報保護の観点から、外部の有識者による評価も実施するという。",
    "利用者アンケートでは、手続きにかかる時間が短くなったとの回答が7割を超えた。",
    "今後はオープンソースで成果を公開し、他団体が再利用できるようにする計画だ。",
)  # fmt: skip
_EN_SENTENCES = (
    "The team says the rollout will be gradual, starting with two departments.",
    "Officials expect the change to reduce paperwork for residents and staff alike.",
    "Source code and documentation are available under an open licence.",
    "Independent auditors will review the system before the wider launch.",
    "Early users report that routine requests now take minutes rather than days.",
)  # fmt: skip


_KANA_SYLLABLES = tuple("アイカキクサシスタチツナニノハヒフミムモヤユラリルワンコトロ")
_JA_NAME_SUFFIXES = ("データ", "ソフト", "ネット", "テック", "ラボ", "システムズ", "技研", "電機")
_EN_SYLLABLES = (
    "ka", "ki", "ko", "sa", "shi", "to", "na", "ni", "mo", "ha", "hi", "ra", "ri", "ro", "ya",
    "yu", "wa", "zen", "tek", "vor", "lin",
)  # fmt: skip
_EN_NAME_SUFFIXES = ("Labs", "Systems", "AI", "Data", "Works", "Cloud", "Networks")
_JA_DETAILS = (
    "、{n}自治体が参加", "(第{n}回)", "、前年比{n}%増", "、{n}億円規模", "、{n}万件を処理",
    "、{m}月{d}日から", "、職員{n}人が利用",
)  # fmt: skip
_EN_DETAILS = (
    " in {n} cities", " (v{n}.{m})", ", {n}% faster", " for {n}k users", " after {n} days",
    " across {n} agencies",
)  # fmt: skip


def _ja_name(rng: random.Random) -> str:
    """A well-known organisation, or one of tens of thousands of made-up ones."""
    if rng.random() < 0.1:
        return rng.choice(_JA_SUBJECTS)
    stem = "".join(rng.choice(_KANA_SYLLABLES) for _ in range(rng.randrange(2, 5)))
    return stem + rng.choice(_JA_NAME_SUFFIXES)


def _en_name(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(_EN_SUBJECTS)
    stem = "".join(rng.choice(_EN_SYLLABLES) for _ in range(rng.randrange(2, 4))).capitalize()
    return f"{stem} {rng.choice(_EN_NAME_SUFFIXES)}"


def _detail(rng: random.Random, templates: tuple[str, ...]) -> str:
    return rng.choice(templates).format(
        n=rng.randrange(2, 1000), m=rng.randrange(1, 13), d=rng.randrange(1, 29)
    )


def _title(rng: random.Random, suffix: str = "") -> str:
    """A headline of 60-100 characters mixing Japanese and English.

    Organisation names and a closing detail carry enough variety that, as in real feeds,
    few headlines share their first or last characters (the story matcher's lookup keys);
    ``suffix`` is a site name some feeds append to every title ("... - ITmedia NEWS").
    """
    while True:
        if rng.random() < 0.6:
            title = (
                f"{_ja_name(rng)}、{rng.choice(_TECHS)}{rng.choice(_JA_ACTIONS)} — "
                f"{_en_name(rng)} {rng.choice(_EN_ACTIONS)} {rng.choice(_EN_TECHS)}"
                f"{_detail(rng, _EN_DETAILS)}"
            )
        else:
            title = (
                f"{_en_name(rng)} {rng.choice(_EN_ACTIONS)} {rng.choice(_EN_TECHS)}: "
                f"{rng.choice(_EN_TAILS)}{_detail(rng, _JA_DETAILS)}"
            )
        if 60 <= len(title) + len(suffix) <= 100:
            return title + suffix


def _description(rng: random.Random, link: str) -> str:
    """A short HTML summary of about 300 characters."""
    tech = rng.choice(_TECHS)
    html = (
        f"<p><strong>{escape(rng.choice(_JA_SUBJECTS))}</strong>は{escape(tech)}"
        f"{escape(rng.choice(_JA_ACTIONS))}したと発表した。{rng.choice(_JA_SENTENCES)}</p>"
        f"<p>{escape(rng.choice(_EN_SENTENCES))} "
        f'<a href="{escape(link)}">続きを読む</a></p>'
    )
    if rng.random() < 0.3:
        html += f'<p><img src="https://img.example.com/{rng.randrange(10**6)}.jpg" alt=""></p>'
    return html


def render_feed(index: int, items: int, suffix_share: float = 0.1) -> bytes:
    """The RSS 2.0 document of feed ``index``: same bytes on every call and in every process.

    A share ``suffix_share`` of the feeds append their site name to every title.
    """
    rng = random.Random(SEED * 1_000_003 + index)
    host = f"news{index:04d}.example.jp"
    site = f"ベンチ通信{index:04d}"
    suffix = f" - {site}" if index % 100 < suffix_share * 100 else ""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>{site} — Tech &amp; Government</title>",
        f"<link>https://{host}/</link>",
        f"<description>Feed {index} for the ingestion benchmark</description>",
        "<language>ja</language><ttl>60</ttl>",
    ]
    published = BASE_TIME - timedelta(minutes=rng.randrange(0, 120))
    for position in range(items):
        article = f"{index:04d}-{position:05d}-{rng.randrange(16**6):06x}"
        link = f"https://{host}/articles/{article}?utm_source=rss&utm_medium=feed&page=1"
        parts.append(
            "<item>"
            f"<title>{escape(_title(rng, suffix))}</title>"
            f"<link>{escape(link)}</link>"
            f'<guid isPermaLink="false">urn:bench:{article}</guid>'
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape(_description(rng, link))}</description>"
            "</item>"
        )
        published -= timedelta(minutes=rng.randrange(20, 70))
    parts.append("</channel></rss>\n")
    return "".join(parts).encode("utf-8")


def render_all(feeds: int, items: int, suffix_share: float) -> list[bytes]:
    return [render_feed(i, items, suffix_share) for i in range(feeds)]


def feed_path(index: int) -> str:
    return f"/feeds/{index:04d}.xml"


def digest(bodies: list[bytes]) -> str:
    hasher = hashlib.sha256()
    for body in bodies:
        hasher.update(body)
    return hasher.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# The feed server (child process)
# ---------------------------------------------------------------------------------------------


def serve(feeds: int, items: int, suffix_share: float) -> None:
    """Serve the feeds with tests/feedserver.py until stdin closes (child-process mode)."""
    from tests.feedserver import FeedServer, Route

    bodies = render_all(feeds, items, suffix_share)
    server = FeedServer()
    # socketserver listens with a backlog of 5; a burst of concurrent connects would then see
    # dropped SYNs and one-second retransmits, which measures the kernel, not the pipeline.
    server.httpd.socket.listen(1024)
    # http.server writes the headers and the body separately; with Nagle's algorithm on, the
    # body's last segment waits for the client's delayed ACK (~40 ms per response on Linux).
    # Real servers do not show this, so it is switched off (TCP_NODELAY) as they do.
    server.httpd.RequestHandlerClass.disable_nagle_algorithm = True
    for index, body in enumerate(bodies):
        server.routes[feed_path(index)] = Route(
            body=body,
            headers={"Content-Type": "application/rss+xml; charset=utf-8"},
            etag='"' + hashlib.sha1(body).hexdigest()[:16] + '"',
        )
    server.start()
    print(server.base, digest(bodies), flush=True)
    try:
        sys.stdin.read()
    finally:
        server.stop()


@contextmanager
def child_server(feeds: int, items: int, suffix_share: float) -> Iterator[tuple[str, str, int]]:
    """Start the server in a child process; yield its base URL, bodies' digest and pid."""
    command = [sys.executable, str(Path(__file__).resolve()), "--serve"]
    command += ["--feeds", str(feeds), "--items", str(items), "--suffix-share", str(suffix_share)]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        if len(line) != 2:
            raise RuntimeError("the feed server did not start")
        yield line[0], line[1], child.pid
    finally:
        if child.stdin:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


@dataclass
class Phase:
    """One measured phase: wall time, units processed and memory."""

    name: str
    seconds: float = 0.0
    units: int = 0
    unit: str = "items"
    peak_mib: float = 0.0
    growth_mib: float | None = None
    children_mib: float | None = None

    @property
    def rate(self) -> float:
        return self.units / self.seconds if self.seconds else 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


class ChildSampler:
    """Sample the summed RSS of this process's descendants (e.g. parse workers) in a thread.

    Linux only; ``skip`` (the feed server) and its descendants are left out.
    """

    def __init__(self, skip: int | None, interval: float = 0.1) -> None:
        self.skip = skip
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total_kib(self) -> int:
        total, todo = 0, [c for c in _children(os.getpid()) if c != self.skip]
        while todo:
            pid = todo.pop()
            total += status_kib("VmRSS", pid) or 0
            todo += _children(pid)
        return total

    def _run(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, self._total_kib())
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> ChildSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, self._total_kib())


class Meter:
    """Time a block and take its memory peak in the configured way."""

    def __init__(self, use_tracemalloc: bool, server_pid: int | None) -> None:
        self.use_tracemalloc = use_tracemalloc
        self.hwm = not use_tracemalloc and reset_hwm()
        self.server_pid = server_pid

    @property
    def method(self) -> str:
        if self.use_tracemalloc:
            return "tracemalloc peak of Python allocations during the phase (times inflated)"
        if self.hwm:
            return (
                "peak RSS of this process (VmHWM, reset per phase via /proc/self/clear_refs), "
                "its growth during the phase, and the peak summed RSS of child processes "
                "(parse workers etc., sampled every 0.1 s; the feed server excluded)"
            )
        return "ru_maxrss: process-wide peak RSS so far (not reset between phases)"

    @contextmanager
    def measure(self, phase: Phase) -> Iterator[None]:
        gc.collect()
        start_kib = 0
        if self.use_tracemalloc:
            tracemalloc.start()
            tracemalloc.reset_peak()
        elif self.hwm:
            reset_hwm()
            start_kib = status_kib("VmRSS") or 0
        sampler = ChildSampler(self.server_pid) if self.hwm else None
        started = time.perf_counter()
        try:
            if sampler:
                with sampler:
                    yield
            else:
                yield
        finally:
            phase.seconds = time.perf_counter() - started
            if sampler:
                phase.children_mib = sampler.peak_kib / 1024
            if self.use_tracemalloc:
                phase.peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            elif self.hwm:
                peak_kib = status_kib("VmHWM") or 0
                phase.peak_mib = peak_kib / 1024
                phase.growth_mib = (peak_kib - start_kib) / 1024
            else:
                phase.peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# The phases
# ---------------------------------------------------------------------------------------------


def feed_specs(base: str, feeds: int) -> list[FeedSpec]:
    return [
        FeedSpec(id=f"bench-{i:04d}", name=f"Bench feed {i:04d}", url=base + feed_path(i))
        for i in range(feeds)
    ]


def prepare_db(path: Path, specs: list[FeedSpec]) -> None:
    db = open_db(path)
    sync_feeds(db, specs, "config", datetime.now(UTC))
    db.close()


def pipeline_run(path: Path, settings: Settings) -> tuple[RunSummary, int]:
    """Phase (a)/(d): one real ``run_fetch`` over every feed; return the summary and item count."""
    db = open_db(path)
    try:
        summary = run_fetch(db, settings, lambda: datetime.now(UTC), everything=True)
        stored = int(db.execute("SELECT count(*) FROM items").fetchone()[0])
    finally:
        db.close()
    return summary, stored


def naive_run(path: Path, urls: list[str]) -> int:
    """Phase (b): sequential httpx.get, feedparser.parse, one INSERT + commit per item."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, feed TEXT NOT NULL, guid TEXT NOT NULL,"
        " link TEXT, title TEXT, summary TEXT, published TEXT, UNIQUE (feed, guid))"
    )
    conn.commit()
    for url in urls:
        response = httpx.get(url, timeout=30)
        response.raise_for_status()
        parsed = feedparser.parse(response.content)
        for entry in parsed.entries:
            conn.execute(
                "INSERT OR IGNORE INTO items (feed, guid, link, title, summary, published)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [url, entry.get("id") or entry.get("link"), entry.get("link"),
                 entry.get("title"), entry.get("summary"), entry.get("published")],
            )  # fmt: skip
            conn.commit()
    stored = int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
    conn.close()
    return stored


def parse_only(bodies: list[bytes]) -> int:
    """Phase (c): feedparser.parse over bytes already in memory; return the entries seen."""
    return sum(len(feedparser.parse(body).entries) for body in bodies)


def profile_pipeline(path: Path, settings: Settings, lines: int) -> str:
    """Run phase (a) once more under cProfile; return the top lines by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    pipeline_run(path, settings)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _verdict(name: str, ratio: float, target: float) -> str:
    met = "met" if ratio <= target else "MISSED"
    return f"  {name:<4} = {ratio:6.3f}   target <= {target:<5}  {met}"


def report(phases: dict[str, Phase], meter: Meter, notes: list[str]) -> None:
    print()
    print(f"{'phase':<44} {'wall s':>8} {'rate':>16} {'peak MiB':>9} {'growth':>8} {'children':>8}")
    for phase in phases.values():
        growth = f"{phase.growth_mib:+8.1f}" if phase.growth_mib is not None else f"{'':>8}"
        children = f"{phase.children_mib:8.1f}" if phase.children_mib is not None else ""
        rate = f"{phase.rate:,.0f} {phase.unit}/s"
        print(
            f"{phase.name:<44} {phase.seconds:8.2f} {rate:>16} {phase.peak_mib:9.1f} {growth}"
            f" {children}"
        )
    print(f"memory: {meter.method}")
    a, b, c, d = (phases[key].seconds for key in "abcd")
    print()
    if meter.use_tracemalloc:
        print("targets (NOT meaningful here: tracemalloc slows pure-Python phases unevenly):")
    else:
        print("targets (ratios of wall times):")
    print(_verdict("a/b", a / b, TARGET_A_B))
    print(_verdict("a/c", a / c, TARGET_A_C))
    print(_verdict("d/a", d / a, TARGET_D_A))
    for note in notes:
        print(f"note: {note}")


def code_version() -> str:
    """The commit benchmarked, marked when radar/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "radar"], cwd=ROOT, capture_output=True,
            text=True,
        ).stdout.strip()  # fmt: skip
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{' + uncommitted changes in radar/' if dirty else ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=500, help="number of feeds (default 500)")
    parser.add_argument("--items", type=int, default=50, help="items per feed (default 50)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 50 feeds x 20 items")
    parser.add_argument(
        "--concurrency", type=int, default=HttpSettings().concurrency,
        help="http.concurrency for run_fetch (default: the product default)",
    )  # fmt: skip
    parser.add_argument(
        "--per-host", type=int, default=HttpSettings().per_host,
        help="http.per_host for run_fetch (default: the product default; every simulated feed "
        "lives on 127.0.0.1, but on loopback raising it made no difference)",
    )  # fmt: skip
    parser.add_argument(
        "--suffix-share", type=float, default=0.1,
        help="share of feeds whose titles all end with the site name (default 0.1); 1.0 is "
        "the story matcher's worst case",
    )  # fmt: skip
    parser.add_argument("--tracemalloc", action="store_true", help="memory via tracemalloc")
    parser.add_argument(
        "--profile", action="store_true",
        help="afterwards, run phase (a) again under cProfile and print the top functions",
    )  # fmt: skip
    parser.add_argument("--profile-lines", type=int, default=25)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.feeds, args.items = 50, 20
    if args.serve:
        serve(args.feeds, args.items, args.suffix_share)
        return 0

    per_host = args.per_host
    settings = Settings(
        http=replace(
            HttpSettings(), allow_private=True, concurrency=args.concurrency, per_host=per_host
        )
    )
    bodies = render_all(args.feeds, args.items, args.suffix_share)
    total_items = args.feeds * args.items
    size = sum(len(body) for body in bodies)
    print(
        f"ingest benchmark: {args.feeds} feeds x {args.items} items = {total_items:,} items, "
        f"{size / 2**20:.1f} MiB of RSS ({size // args.feeds:,} bytes/feed)"
    )
    print(
        f"python {sys.version.split()[0]}, feedparser {feedparser.__version__}, "
        f"httpx {httpx.__version__}, sqlite {sqlite3.sqlite_version}; code {code_version()}; "
        "run_fetch with "
        f"http.concurrency={args.concurrency}, http.per_host={per_host}, allow_private=True"
    )
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    parse_only(bodies[:1])  # warm up feedparser's lazy imports before anything is timed
    phases = {
        "c": Phase("(c) feedparser.parse alone (bytes in memory)"),
        "b": Phase("(b) naive: httpx.get+parse+INSERT/commit"),
        "a": Phase("(a) run_fetch, fresh database"),
        "d": Phase("(d) run_fetch again, every feed 304", unit="feeds"),
    }
    notes: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp,
        child_server(args.feeds, args.items, args.suffix_share) as (base, served_digest, pid),
    ):
        meter = Meter(args.tracemalloc, pid)
        if served_digest != digest(bodies):
            raise RuntimeError("the server's feeds differ from this process's")
        specs = feed_specs(base, args.feeds)
        urls = [spec.url for spec in specs]
        db_path = Path(tmp) / "radar.db"
        prepare_db(db_path, specs)

        with meter.measure(phases["c"]):
            phases["c"].units = parse_only(bodies)
        with meter.measure(phases["b"]):
            phases["b"].units = naive_run(Path(tmp) / "naive.db", urls)
        with meter.measure(phases["a"]):
            first, stored = pipeline_run(db_path, settings)
        phases["a"].units = first.new_items
        with meter.measure(phases["d"]):
            second, _ = pipeline_run(db_path, settings)
        phases["d"].units = second.feeds

        notes.append(
            f"(a) ok={first.ok} failed={first.failed} new_items={first.new_items} "
            f"stored={stored}; (d) not_modified={second.not_modified} ok={second.ok} "
            f"failed={second.failed}"
        )
        if first.ok != args.feeds or first.new_items != total_items:
            notes.append(f"(a) did not ingest everything: errors {dict(first.errors)}")
        if second.not_modified != args.feeds:
            notes.append("(d) not every feed answered 304")
        if phases["b"].units != total_items:
            notes.append(f"(b) stored {phases['b'].units} items, expected {total_items}")
        notes.append(
            "(b) uses sqlite3 defaults (rollback journal, synchronous=FULL) and a new "
            "connection per httpx.get; (a) uses the store's WAL + synchronous=NORMAL"
        )
        if load_before is not None:
            notes.append(
                f"1-minute load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after, "
                f"on {os.cpu_count()} CPUs (the server child process uses one; other load skews "
                "times, ratios less so)"
            )
        report(phases, meter, notes)
        if args.profile:
            profile_db = Path(tmp) / "profile.db"
            prepare_db(profile_db, specs)
            print()
            print(f"profile of phase (a) (separate, untimed pass; top {args.profile_lines}):")
            print(profile_pipeline(profile_db, settings, args.profile_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
