"""Archive back-fill benchmark: ``import_archive`` over a million synthetic dated headlines.

Run from the repository root::

    python benchmarks/archive.py                  # 1,000,000 rows (a few minutes)
    python benchmarks/archive.py --rows 100000    # a quicker run
    python benchmarks/archive.py --real           # also the real 600k-row English archive

The generator writes N deterministic rows (seeded) to a temporary JSONL.gz, sorted by date
like real archives: twelve sources (three Japanese), English and Japanese titles built from
word lists so that headlines rarely repeat, an ``id`` on the forum-like sources, Japanese
editor summaries on one source, tracking parameters on some links and about 4% of links
shared with another source (the same story covered twice). It then times, into a fresh
SQLite file:

(a) ``import_archive`` of the whole file (the target is >= 10,000 rows/s end to end:
    decompression, parsing, cleaning, story grouping, SQLite writes and the FTS trigger);
(b) the same import again, which must add nothing (the idempotence check), and its time;
(c) ``count_rows``, the optional pass that gives a progress bar its total.

It prints rows/s, the peak resident set size (VmHWM on Linux, else ru_maxrss) and the size
of the database (main file plus WAL). Generation is not timed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from radar.ingest.archive import ImportResult, count_rows, import_archive  # noqa: E402
from radar.store.db import open_db  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "history" / "headlines-en.jsonl.gz"
NOW = datetime(2026, 11, 23, tzinfo=UTC)
START = date(2010, 1, 1)
DAYS = 5000

SOURCES_EN = [
    "hn-like", "reddit-like/r/programming", "reddit-like/r/netsec", "dev-blog", "cloud-weekly",
    "gov-tech-news", "github-daily", "security-wire", "ai-digest",
]  # fmt: skip
SOURCES_JA = ["jser-like", "itmedia-like", "gihyo-like"]
_EN_WORDS = (
    "cloud native kubernetes serverless edge quantum rust python golang typescript wasm "
    "webassembly llm agent vector database postgres sqlite zero trust passkey identity "
    "observability opentelemetry ebpf service mesh platform engineering devops gitops "
    "terraform data lake lakehouse streaming kafka flink graph neural network diffusion "
    "transformer inference gpu chip arm risc-v 5g satellite drone robotics ar vr metaverse "
    "blockchain nft low-code no-code api gateway microservices monolith migration outage "
    "breach ransomware patch vulnerability open source license funding acquisition launch"
)
_EN_VERBS = "launches adopts drops ships explains rethinks scales benchmarks migrates to"
_JA_WORDS = (
    "クラウド 生成AI 自治体 デジタル庁 マイナンバー ガバメントクラウド ゼロトラスト 量子 "
    "半導体 データ連携 ノーコード ローコード 電子申請 キャッシュレス 5G ドローン メタバース "
    "オープンデータ セキュリティ 脆弱性 サービス 基盤 標準化 移行 認証 パスキー 分析 "
    "エッジ ロボット 自動運転 スマートシティ"
)
EN_WORDS, EN_VERBS, JA_WORDS = _EN_WORDS.split(), _EN_VERBS.split(), _JA_WORDS.split()
JA_VERBS = ["を導入", "の実証を開始", "に対応", "を発表", "を公開", "の課題", "が普及", "を刷新"]
TRACKING = ["?utm_source=rss&utm_medium=feed", "?fbclid=abc123", "?ref_src=twsrc", ""]


def _title(rng: random.Random, ja: bool, n: int) -> str:
    if ja:
        words = rng.sample(JA_WORDS, 3)
        return f"{words[0]}と{words[1]}、{words[2]}{rng.choice(JA_VERBS)}（第{n % 997}回）"
    words = rng.sample(EN_WORDS, 4)
    return f"{words[0].title()} {rng.choice(EN_VERBS)} {' '.join(words[1:])} #{n % 9973}"


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write ``rows`` synthetic archive rows to ``path`` (gzip JSON Lines), sorted by date."""
    rng = random.Random(seed)
    sources = [(s, False) for s in SOURCES_EN] + [(s, True) for s in SOURCES_JA]
    weights = [30, 8, 4, 6, 5, 3, 20, 4, 6, 6, 5, 3]
    recent: list[str] = []
    per_day = max(rows / DAYS, 1e-9)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        for n in range(rows):
            source, ja = rng.choices(sources, weights)[0]
            day = START + timedelta(days=int(n / per_day))
            if recent and rng.random() < 0.04:
                url = rng.choice(recent)  # the same article in another source
            else:
                url = f"https://{source.split('/')[0]}.example/{day:%Y/%m}/{n:07d}"
                recent = [*recent[-200:], url]
            row: dict[str, object] = {
                "date": day.isoformat(),
                "title": _title(rng, ja, n),
                "url": url + rng.choice(TRACKING),
                "source": source,
            }
            if source.startswith(("hn", "reddit")):
                row["id"] = f"{source[:2]}:{n}"
            if source == "jser-like":
                topic = rng.choice(JA_WORDS)
                row["summary"] = f"{_title(rng, True, n)}についての解説。{topic}の事例も。"
            if source == "github-daily":
                row["lang"] = rng.choice(["python", "go", "rust", "typescript"])
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _db_mb(db_path: Path) -> float:
    files = [db_path, Path(f"{db_path}-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def _report(label: str, result: ImportResult, seconds: float) -> None:
    print(
        f"{label}: {result.rows:,} rows in {seconds:.1f} s = {result.rows / seconds:,.0f} rows/s"
        f" (inserted {result.inserted:,}, duplicates {result.duplicates:,}, bad {result.bad:,},"
        f" sources {len(result.sources)})"
    )


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def run(archive: Path, workdir: Path, label: str) -> None:
    """Import ``archive`` twice into a fresh database and print the figures."""
    db_path = workdir / f"{label}.db"
    db = open_db(db_path)
    load_before = _load()
    cpu = os.times()
    started = time.perf_counter()
    result = import_archive(db, archive, NOW)
    first = time.perf_counter() - started
    used = os.times()
    cpu_s = (used.user - cpu.user) + (used.system - cpu.system)
    _report(f"(a) {label} import", result, first)
    print(f"    CPU {cpu_s:.0f} s ({cpu_s / max(result.rows, 1) * 1e6:.0f} us/row);"
          f" load average before/after {load_before}/{_load()} (other work on the machine"
          " competes for its cores)")  # fmt: skip
    stories, multi = db.execute(
        "SELECT count(*), coalesce(sum(n_sources > 1), 0) FROM stories"
    ).fetchone()
    print(f"    stories {stories:,} ({multi:,} with 2+ sources); peak RSS {_peak_rss_mb():.0f} MB;"
          f" DB {_db_mb(db_path):.0f} MB")  # fmt: skip
    started = time.perf_counter()
    again = import_archive(db, archive, NOW)
    second = time.perf_counter() - started
    _report(f"(b) {label} re-import", again, second)
    assert again.inserted == 0, "re-import must add nothing"
    started = time.perf_counter()
    total = count_rows(archive)
    print(f"(c) count_rows: {total:,} rows in {time.perf_counter() - started:.1f} s")
    target = "met" if result.rows / first >= 10_000 else "MISSED"
    print(f"    target >= 10,000 rows/s: {target}")
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic rows")
    parser.add_argument("--real", action="store_true", help=f"also import {REAL}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="radar-archive-bench-"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, work dir {workdir}")
    archive = workdir / "synthetic.jsonl.gz"
    started = time.perf_counter()
    generate(archive, args.rows)
    print(f"generated {args.rows:,} rows ({archive.stat().st_size / 1e6:.0f} MB gzip)"
          f" in {time.perf_counter() - started:.1f} s (not timed below)")  # fmt: skip
    run(archive, workdir, "synthetic")
    if args.real:
        if REAL.exists():
            run(REAL, workdir, "real-en")
        else:
            print(f"--real: {REAL} not found, skipped")
    if not args.keep:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
