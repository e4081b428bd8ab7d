"""Ingestion benchmark: Trend Radar beside the `reader` library, a naive loop and the parse floor.

Run from the repository root (``pip install -e .[bench]`` brings ``reader``)::

    python benchmarks/ingest.py                     # 300 feeds x 50 items (the issue's size)
    python benchmarks/ingest.py --size 2000         # 2,000 feeds x 20 items
    python benchmarks/ingest.py --size tiny         # 20 feeds x 10 items (a smoke run, seconds)
    python benchmarks/ingest.py --feeds 200 --items 30 --repeat 3 --skip naive
    python benchmarks/ingest.py --profile           # also profile radar's first poll

One local HTTP server (``tests/feedserver.py``, the project's real server, in a child
process so it competes with the measured code for neither the GIL nor the memory figures;
TCP_NODELAY and a deep listen backlog so it does not add delays real servers lack) serves N
deterministic RSS 2.0 feeds of M items each, with ETags. Titles mix Japanese and English
and, as in real feeds, rarely share their first or last ten characters (the story
matcher's lookup keys); ``--suffix-share`` sets how many feeds append their site name to
every title (1.0 is the matcher's worst case). Each system then runs in its own child
process (so each has its own peak RSS, and none inherits another's imports or caches),
with a fresh database, and polls every feed twice:

* ``radar``: ``run_fetch(..., everything=True)`` with the product's HTTP defaults
  (``--concurrency``, ``--per-host`` override them); the second poll is every feed
  answering 304;
* ``reader``: the `reader` library (``make_reader``, full-text search enabled, feeds added
  untimed), each poll ``update_feeds(workers=16, scheduled=False)`` then ``update_search()``
  (its search index is only current after that call; ``scheduled=False`` so the second
  poll asks every feed, as radar's does);
* ``naive``: sequential ``httpx.get`` + ``feedparser.parse`` + one INSERT and one commit per
  item into a plain sqlite3 table with a unique key (first poll only);
* ``floor``: ``feedparser.parse`` alone over the same bytes already in memory.

Beside them the CLI is timed as a user meets it: ``radar feeds`` start-up (best of three)
and ``radar fetch --all`` over the radar store when every feed answers 304.

Done-when targets (ratios of wall times measured in the same run, so the machine cancels
out as far as it can): radar's first poll <= 0.35x reader's and <= 1.3x the parse floor;
its 304 poll <= 0.5x reader's; ``radar feeds`` start-up <= 0.5 s; every system stores every
item served. ``--repeat N`` runs every system N times, round robin, and keeps each one's
fastest time (a shared machine's load comes and goes; the best of N is the least
disturbed). Peak RSS is each child's VmHWM (Linux /proc), reset before each poll.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
# The repository first: this folder's radar.py (another benchmark) must not hide the package.
sys.path[:] = [str(ROOT), *(entry for entry in sys.path if entry != str(ROOT))]

import feedparser  # noqa: E402
import httpx  # noqa: E402
from memory import reset_hwm, status_kib  # noqa: E402

from radar.config import HttpSettings, Settings  # noqa: E402
from radar.ingest.pipeline import run_fetch  # noqa: E402
from radar.records import FeedSpec  # noqa: E402
from radar.store.db import open_db  # noqa: E402
from radar.store.feeds import sync_feeds  # noqa: E402

BASE_TIME = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
SEED = 20261123
SIZES = {"tiny": (20, 10), "300x50": (300, 50), "2000": (2000, 20)}
SYSTEMS = ("floor", "naive", "reader", "radar")
READER_WORKERS = 16
TARGET_FIRST_VS_READER = 0.35
TARGET_FIRST_VS_FLOOR = 1.3
TARGET_304_VS_READER = 0.5
TARGET_STARTUP_S = 0.5

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
# The systems, each run in a child process (``--system NAME``)
# ---------------------------------------------------------------------------------------------


@dataclass
class Poll:
    """One timed poll of every feed: wall time, what it stored, and the peak RSS meanwhile."""

    seconds: float
    items: int  # items in the store afterwards
    not_modified: int | None = None  # feeds that answered 304 (None: not counted)
    errors: int = 0
    peak_mib: float | None = None
    cpu_seconds: float | None = None  # this process's CPU time (all its threads) in the poll
    child_cpu_seconds: float = 0.0  # its child processes' (radar's parse worker), if any
    child_peak_mib: float | None = None  # the largest child's peak RSS so far


def timed(run: Callable[[], tuple[int, int | None, int]]) -> Poll:
    """Time ``run`` (returning items stored, 304s, errors) and take this process's peak RSS.

    Child processes (radar's parse worker) are counted too: their CPU time beside this
    process's, and the largest one's peak RSS.
    """
    hwm = reset_hwm()
    started, cpu, before = time.perf_counter(), time.process_time(), os.times()
    items, not_modified, errors = run()
    seconds, cpu, after = time.perf_counter() - started, time.process_time() - cpu, os.times()
    peak = status_kib("VmHWM") if hwm else None
    children = (after.children_user + after.children_system) - (
        before.children_user + before.children_system
    )
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Poll(
        seconds, items, not_modified, errors, peak / 1024 if peak else None, cpu,
        children, child_peak / 1024 if child_peak else None,
    )  # fmt: skip


def feed_specs(base: str, feeds: int) -> list[FeedSpec]:
    return [
        FeedSpec(id=f"bench-{i:04d}", name=f"Bench feed {i:04d}", url=base + feed_path(i))
        for i in range(feeds)
    ]


def radar_settings(concurrency: int, per_host: int) -> Settings:
    http = replace(HttpSettings(), allow_private=True, concurrency=concurrency, per_host=per_host)
    return Settings(http=http)


def run_radar(base: str, feeds: int, workdir: Path, settings: Settings) -> list[Poll]:
    """Trend Radar's real fetch path into a fresh store, twice (the second all 304s)."""
    db = open_db(workdir / "radar.db")
    sync_feeds(db, feed_specs(base, feeds), "config", datetime.now(UTC))

    def poll() -> tuple[int, int | None, int]:
        summary = run_fetch(db, settings, lambda: datetime.now(UTC), everything=True)
        stored = int(db.execute("SELECT count(*) FROM items").fetchone()[0])
        return stored, summary.not_modified, summary.failed

    try:
        return [timed(poll), timed(poll)]
    finally:
        db.close()


def run_reader(base: str, feeds: int, workdir: Path) -> list[Poll]:
    """The `reader` library with full-text search on, 16 workers, twice."""
    from reader import make_reader  # the optional `bench` extra; only this child needs it

    reader = make_reader(str(workdir / "reader.sqlite"))
    reader.enable_search()
    for spec in feed_specs(base, feeds):
        reader.add_feed(spec.url)

    def poll() -> tuple[int, int | None, int]:
        not_modified = errors = 0
        for result in reader.update_feeds_iter(workers=READER_WORKERS, scheduled=False):
            if result.value is None:
                not_modified += 1
            elif isinstance(result.value, Exception):
                errors += 1
        reader.update_search()
        return reader.get_entry_counts().total or 0, not_modified, errors

    try:
        return [timed(poll), timed(poll)]
    finally:
        reader.close()


def run_naive(base: str, feeds: int, workdir: Path) -> list[Poll]:
    """Sequential httpx.get, feedparser.parse, one INSERT + commit per item (first poll)."""
    urls = [spec.url for spec in feed_specs(base, feeds)]
    conn = sqlite3.connect(workdir / "naive.db")
    conn.execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, feed TEXT NOT NULL, guid TEXT NOT NULL,"
        " link TEXT, title TEXT, summary TEXT, published TEXT, UNIQUE (feed, guid))"
    )
    conn.commit()

    def poll() -> tuple[int, int | None, int]:
        for url in urls:
            response = httpx.get(url, timeout=30)
            response.raise_for_status()
            for entry in feedparser.parse(response.content).entries:
                conn.execute(
                    "INSERT OR IGNORE INTO items (feed, guid, link, title, summary, published)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [url, entry.get("id") or entry.get("link"), entry.get("link"),
                     entry.get("title"), entry.get("summary"), entry.get("published")],
                )  # fmt: skip
                conn.commit()
        return int(conn.execute("SELECT count(*) FROM items").fetchone()[0]), None, 0

    try:
        return [timed(poll)]
    finally:
        conn.close()


def run_floor(feeds: int, items: int, suffix_share: float) -> list[Poll]:
    """feedparser.parse over the bytes already in memory: the floor a full poll can approach."""
    bodies = render_all(feeds, items, suffix_share)
    feedparser.parse(bodies[0])  # its lazy imports, before anything is timed
    return [timed(lambda: (sum(len(feedparser.parse(body).entries) for body in bodies), None, 0))]


def run_system(args: argparse.Namespace) -> None:
    """Child-process mode: run one system and print its polls as one JSON line."""
    workdir = Path(args.workdir)
    if args.system == "radar":
        polls = run_radar(
            args.base, args.feeds, workdir, radar_settings(args.concurrency, args.per_host)
        )
    elif args.system == "reader":
        polls = run_reader(args.base, args.feeds, workdir)
    elif args.system == "naive":
        polls = run_naive(args.base, args.feeds, workdir)
    else:
        polls = run_floor(args.feeds, args.items, args.suffix_share)
    print(json.dumps([asdict(poll) for poll in polls]), flush=True)


def in_child(system: str, args: argparse.Namespace, base: str, workdir: Path) -> list[Poll]:
    """Run ``system`` in a fresh child process; its polls."""
    command = [sys.executable, str(Path(__file__).resolve()), "--system", system]
    command += ["--base", base, "--workdir", str(workdir), "--feeds", str(args.feeds)]
    command += ["--items", str(args.items), "--suffix-share", str(args.suffix_share)]
    command += ["--concurrency", str(args.concurrency), "--per-host", str(args.per_host)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{system} failed:\n{done.stderr[-3000:]}")
    return [Poll(**poll) for poll in json.loads(done.stdout.strip().splitlines()[-1])]


# ---------------------------------------------------------------------------------------------
# The CLI as a user meets it
# ---------------------------------------------------------------------------------------------


def cli_seconds(arguments: list[str], workdir: Path, runs: int) -> tuple[float, float]:
    """Best wall and CPU (user + system) time of ``radar ARGUMENTS`` in a fresh interpreter.

    The CPU time is what start-up costs whatever else the machine runs; on a loaded
    machine the wall time also counts the waits for a core.
    """
    config = workdir / "feeds.yaml"
    config.write_text("settings:\n  http:\n    allow_private: true\n", encoding="utf-8")
    command = [sys.executable, "-m", "radar.cli", "--db", str(workdir / "radar.db")]
    command += ["--config", str(config), *arguments]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=workdir, env=env)
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best_cpu = min(best_cpu, cpu)
        if done.returncode != 0:
            raise RuntimeError(f"radar {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return best, best_cpu


def profile_radar(base: str, feeds: int, workdir: Path, settings: Settings, lines: int) -> str:
    """Radar's first poll once more, in this process under cProfile; the top functions."""
    db = open_db(workdir / "profile.db")
    sync_feeds(db, feed_specs(base, feeds), "config", datetime.now(UTC))
    profiler = cProfile.Profile()
    profiler.enable()
    run_fetch(db, settings, lambda: datetime.now(UTC), everything=True)
    profiler.disable()
    db.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

LABELS = {
    "floor": "feedparser.parse alone (the floor)",
    "naive": "naive loop (get, parse, commit/item)",
    "reader": f"reader (search on, {READER_WORKERS} workers)",
    "radar": "Trend Radar run_fetch",
}


@dataclass
class Results:
    """The best poll of each system over the repeats, and the CLI timings."""

    best: dict[str, list[Poll]] = field(default_factory=dict)
    startup_s: float | None = None
    startup_cpu_s: float | None = None
    empty_startup_s: float | None = None  # the same command over an empty store: fixed cost
    cli_304_s: float | None = None
    cli_304_cpu_s: float | None = None

    def keep(self, system: str, polls: list[Poll]) -> None:
        if system not in self.best:
            self.best[system] = polls
            return
        pairs = zip(self.best[system], polls, strict=True)
        self.best[system] = [min(old, new, key=lambda p: p.seconds) for old, new in pairs]


def _ratio(value: float | None, against: float | None) -> str:
    return f"{value / against:8.2f}x" if value is not None and against else f"{'-':>9}"


def _seconds(poll: Poll | None) -> str:
    return f"{poll.seconds:9.2f}" if poll else f"{'-':>9}"


def table(results: Results, served: int) -> list[str]:
    """The side-by-side table: times, ratios to reader and the floor, items, peak RSS."""
    reader = results.best.get("reader")
    floor = results.best.get("floor")
    reader_first = reader[0].seconds if reader else None
    reader_304 = reader[1].seconds if reader else None
    floor_s = floor[0].seconds if floor else None
    lines = [
        f"{'system':<40} {'1st poll s':>10} {'/reader':>9} {'/floor':>9} {'304 poll s':>10}"
        f" {'/reader':>9} {'stored':>8} {'304s':>6} {'peak MiB':>9}"
    ]
    for system in SYSTEMS:
        if system not in results.best:
            continue
        polls = results.best[system]
        first, second = polls[0], polls[1] if len(polls) > 1 else None
        peaks = [p.peak_mib for p in polls if p.peak_mib is not None]
        lines.append(
            f"{LABELS[system]:<40} {_seconds(first):>10} {_ratio(first.seconds, reader_first)}"
            f" {_ratio(first.seconds, floor_s)} {_seconds(second):>10}"
            f" {_ratio(second.seconds if second else None, reader_304)}"
            f" {first.items if system != 'floor' else '-':>8}"
            f" {second.not_modified if second and second.not_modified is not None else '-':>6}"
            f" {max(peaks) if peaks else float('nan'):9.1f}"
        )
    if results.cli_304_s is not None:
        lines.append(
            f"{'radar fetch --all (CLI, start-up incl.)':<40} {'-':>10} {'-':>9} {'-':>9}"
            f" {results.cli_304_s:10.2f} {_ratio(results.cli_304_s, reader_304)}"
        )
    lines.append(f"items served: {served:,}")
    cpu = []
    workers = []
    for system, polls in results.best.items():
        each = " / ".join(
            f"{p.cpu_seconds:.2f}"
            + (f" (+{p.child_cpu_seconds:.2f} worker)" if p.child_cpu_seconds else "")
            for p in polls if p.cpu_seconds is not None
        )  # fmt: skip
        cpu.append(f"{system} {each}")
        peaks = [p.child_peak_mib for p in polls if p.child_cpu_seconds and p.child_peak_mib]
        if peaks:
            workers.append(f"{system} {max(peaks):.1f}")
    lines.append("CPU seconds of each poll above (all threads of the system's process, and its"
                 " worker processes; the feed server's excluded): " + "; ".join(cpu))  # fmt: skip
    if workers:
        lines.append("peak MiB of worker processes (beside the table's): " + "; ".join(workers))
    return lines


def verdicts(results: Results, served: int) -> list[str]:
    """Each done-when target: the figure, the target, met or MISSED."""
    out: list[str] = []

    def verdict(name: str, value: float, target: float, unit: str = "x") -> None:
        met = "met" if value <= target else "MISSED"
        out.append(f"  {name:<38} {value:7.3f}{unit}  target <= {target}{unit}  {met}")

    radar, reader, floor = (results.best.get(k) for k in ("radar", "reader", "floor"))
    if radar and reader:
        verdict("radar 1st poll / reader 1st poll", radar[0].seconds / reader[0].seconds,
                TARGET_FIRST_VS_READER)  # fmt: skip
        verdict("radar 304 poll / reader 304 poll", radar[1].seconds / reader[1].seconds,
                TARGET_304_VS_READER)  # fmt: skip
    if radar and floor:
        verdict("radar 1st poll / parse floor", radar[0].seconds / floor[0].seconds,
                TARGET_FIRST_VS_FLOOR)  # fmt: skip
    if results.startup_s is not None and results.startup_cpu_s is not None:
        verdict("`radar feeds` start-up, wall", results.startup_s, TARGET_STARTUP_S, " s")
        verdict("`radar feeds` start-up, CPU", results.startup_cpu_s, TARGET_STARTUP_S, " s")
    for system, polls in results.best.items():
        if system == "floor":
            continue
        stored = ", ".join(f"{p.items:,}" for p in polls)
        ok = all(p.items == served and not p.errors for p in polls)
        out.append(
            f"  {system + ' items stored == served':<38} {stored}  {'met' if ok else 'MISSED'}"
        )
    return out


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


def _versions() -> str:
    try:
        from importlib.metadata import version

        reader = version("reader")
    except Exception:  # not installed: the reader column is skipped
        reader = "not installed"
    return (
        f"python {sys.version.split()[0]}, feedparser {feedparser.__version__}, "
        f"httpx {httpx.__version__}, sqlite {sqlite3.sqlite_version}, reader {reader}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(SIZES), default="300x50",
                        help="feeds x items: tiny 20x10, 300x50 (default), 2000 (x20)")  # fmt: skip
    parser.add_argument("--feeds", type=int, help="number of feeds (overrides --size)")
    parser.add_argument("--items", type=int, help="items per feed (overrides --size)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per system; best kept")
    parser.add_argument("--skip", action="append", default=[], choices=SYSTEMS,
                        help="leave a system out (repeatable), e.g. --skip naive")  # fmt: skip
    parser.add_argument(
        "--concurrency", type=int, default=HttpSettings().concurrency,
        help="http.concurrency for run_fetch (default: the product default)",
    )  # fmt: skip
    parser.add_argument(
        "--per-host", type=int, default=None,
        help="http.per_host for run_fetch (default: the concurrency; every simulated feed "
        "lives on the one loopback host, where real ones are spread over many, and reader "
        "has no per-host limit)",
    )  # fmt: skip
    parser.add_argument(
        "--suffix-share", type=float, default=0.1,
        help="share of feeds whose titles all end with the site name (default 0.1); 1.0 is "
        "the story matcher's worst case",
    )  # fmt: skip
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI timings")
    parser.add_argument("--profile", action="store_true",
                        help="afterwards, profile radar's first poll in this process")  # fmt: skip
    parser.add_argument("--profile-lines", type=int, default=30)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--system", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    feeds, items = SIZES[args.size]
    args.feeds = args.feeds or feeds
    args.items = args.items or items
    args.per_host = args.per_host or args.concurrency
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        serve(args.feeds, args.items, args.suffix_share)
        return 0
    if args.system:
        run_system(args)
        return 0
    systems = [s for s in SYSTEMS if s not in args.skip]
    if "reader" in systems and "not installed" in _versions():
        print("note: `reader` is not installed (pip install -e .[bench]); its column is skipped")
        systems.remove("reader")
    bodies = render_all(args.feeds, args.items, args.suffix_share)
    served = args.feeds * args.items
    size = sum(len(body) for body in bodies)
    print(
        f"ingest benchmark: {args.feeds} feeds x {args.items} items = {served:,} items, "
        f"{size / 2**20:.1f} MiB of RSS ({size // args.feeds:,} bytes/feed), "
        f"{args.repeat} run(s) per system, best kept"
    )
    print(f"{_versions()}; code {code_version()}")
    print(
        f"radar: http.concurrency={args.concurrency}, http.per_host={args.per_host}; "
        f"reader: {READER_WORKERS} workers, search enabled"
    )
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    results = Results()
    with (
        tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp,
        child_server(args.feeds, args.items, args.suffix_share) as (base, served_digest, _pid),
    ):
        if served_digest != digest(bodies):
            raise RuntimeError("the server's feeds differ from this process's")
        for run in range(args.repeat):
            for system in systems:
                workdir = Path(tmp) / f"{system}-{run}"
                workdir.mkdir()
                polls = in_child(system, args, base, workdir)
                results.keep(system, polls)
                shown = "".join(f" {p.seconds:8.2f} s ({p.items:,} stored)" for p in polls)
                print(f"  run {run + 1} {system:<7}{shown}", flush=True)
        if "radar" in systems and not args.no_cli:
            radar_dir = Path(tmp) / "radar-0"
            results.startup_s, results.startup_cpu_s = cli_seconds(["feeds"], radar_dir, 3)
            empty_dir = Path(tmp) / "empty-store"
            empty_dir.mkdir()
            results.empty_startup_s, _ = cli_seconds(["feeds"], empty_dir, 3)
            results.cli_304_s, results.cli_304_cpu_s = cli_seconds(["fetch", "--all"], radar_dir, 1)
        load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
        print()
        print("\n".join(table(results, served)))
        if results.startup_s is not None:
            print(
                f"`radar feeds` (best of 3, fresh interpreter): {results.startup_s:.2f} s listing"
                f" {args.feeds:,} feeds; {results.empty_startup_s:.2f} s over an empty store"
            )
        print()
        print("targets (ratios of wall times in this run):")
        print("\n".join(verdicts(results, served)))
        if load_before and load_after:
            print(
                f"load average (1, 5, 15 min) {', '.join(f'{x:.2f}' for x in load_before)} before, "
                f"{', '.join(f'{x:.2f}' for x in load_after)} after, on {os.cpu_count()} CPUs "
                "(the feed server's child process uses one)"
            )
        if args.profile and "radar" in systems:
            workdir = Path(tmp) / "profile"
            workdir.mkdir()
            settings = radar_settings(args.concurrency, args.per_host)
            print()
            print(f"profile of radar's first poll (separate pass; top {args.profile_lines}):")
            print(profile_radar(base, args.feeds, workdir, settings, args.profile_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
