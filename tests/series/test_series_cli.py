"""`radar import-series` and `radar series` as a user runs them: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADER = "series,term,period,count,total,share\n"
GOOD = (
    "stackoverflow_questions_by_tag_year,kubernetes,2017,900,90000,\n"
    "stackoverflow_questions_by_tag_year,kubernetes,2018,1500,100000,\n"
    "stackoverflow_questions_by_tag_year,left-pad-utils,2018,3,100000,\n"
    "hn_whoishiring_postings,Kubernetes,2018-03,12,400,\n"
    "hn_whoishiring_postings,[bold]Zork[/bold]\x1b[31m,2018-03,1,400,\n"
)


def radar(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RADAR_DB": str(tmp_path / "r.db"), "COLUMNS": "200"}
    env.pop("RADAR_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "radar.cli", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reports_refused_lines_and_mapped_terms_and_a_second_run_adds_nothing(
    tmp_path: Path,
) -> None:
    path = _file(tmp_path, HEADER + GOOD + "stackoverflow_questions_by_tag_year,rust,2018-13,1,,\n")

    first = radar(tmp_path, "import-series", str(path))

    assert first.returncode == 0, first.stderr
    assert "6 rows read: 5 points stored (5 new" in first.stdout
    assert "1 refused" in first.stdout
    assert "line 7" in first.stdout and "2018-13" in first.stdout
    stack = next(line for line in first.stdout.splitlines() if "stackoverflow_questions" in line)
    assert "│ 2     │" in stack  # two terms, of which kubernetes names a technology:
    assert "1 (50%)" in stack

    again = json.loads(radar(tmp_path, "import-series", str(path), "--json").stdout)
    assert (again["stored"], again["new"], again["refused"]) == (5, 0, 1)
    assert again["errors"] == [{"line": 7, "reason": again["errors"][0]["reason"]}]
    jobs = next(s for s in again["sources"] if s["source"] == "hn_whoishiring_postings")
    assert (jobs["terms"], jobs["mapped_terms"], jobs["technologies"]) == (2, 1, 1)
    assert jobs["points_in_file"] == 2


def test_a_missing_file_or_another_format_is_one_line_and_stores_nothing(tmp_path: Path) -> None:
    missing = radar(tmp_path, "import-series", str(tmp_path / "nope.csv"))
    other = radar(tmp_path, "import-series", str(_file(tmp_path, "date,title\n2018-01-01,x\n")))

    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"error: import-series: {tmp_path / 'nope.csv'} does not exist"
    ]
    assert other.returncode == 1
    assert other.stderr.strip().count("\n") == 0
    assert "header must be series,term,period,count,total,share, not date,title" in other.stderr
    assert "No series stored yet" in radar(tmp_path, "series").stdout


def test_series_lists_sources_and_the_terms_that_name_no_technology(tmp_path: Path) -> None:
    radar(tmp_path, "import-series", str(_file(tmp_path, HEADER + GOOD)))

    listing = json.loads(radar(tmp_path, "series", "--json").stdout)
    unmapped = radar(tmp_path, "series", "unmapped", "--source", "hn_whoishiring_postings")
    wrong = radar(tmp_path, "series", "unmapped", "--source", "myspace")

    assert [(s["source"], s["terms"], s["points"]) for s in listing] == [
        ("hn_whoishiring_postings", 2, 2),
        ("stackoverflow_questions_by_tag_year", 2, 3),
    ]
    assert listing[1]["first_period_end"] == "2017-12-31"
    assert "[bold]Zork[/bold]" in unmapped.stdout  # printed as text, not as markup
    assert "\x1b" not in unmapped.stdout
    assert "Kubernetes" not in unmapped.stdout and "left-pad" not in unmapped.stdout
    assert "1 of 1 unmapped terms" in unmapped.stdout
    assert wrong.returncode == 2 and "no stored source 'myspace'" in wrong.stderr
