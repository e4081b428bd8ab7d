"""Commands that look at "recent" weeks look where the store's data is, and say what is missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from radar.store.db import open_db
from tests.stored import store_items
from tests.test_cli import radar

NEWEST = datetime(2022, 9, 30, 12, tzinfo=UTC)  # years before the wall clock


def _store(tmp_path: Path, titles: list[tuple[datetime, str]]) -> None:
    db = open_db(tmp_path / "r.db")
    store_items(db, "city", [(when, title, "") for when, title in titles])
    db.close()


def _weeks_ago(weeks: float) -> datetime:
    return NEWEST - timedelta(weeks=weeks)


def test_candidates_look_at_the_weeks_before_the_newest_item_not_today(tmp_path: Path) -> None:
    before = [(_weeks_ago(5 + i), f"Council budget meeting {i}") for i in range(10)]
    recent = [(_weeks_ago(i), f"Zorblax pilot in ward {i}") for i in range(3)]
    _store(tmp_path, [*before, *recent, (_weeks_ago(0.5), "Council budget meeting")])
    result = radar(tmp_path, "techs", "candidates")
    assert result.returncode == 0, result.stderr
    assert "Zorblax" in result.stdout


def test_no_candidates_says_which_weeks_were_searched(tmp_path: Path) -> None:
    _store(tmp_path, [(_weeks_ago(i), f"Council budget meeting {i}") for i in range(8)])
    result = radar(tmp_path, "techs", "candidates")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "4 weeks to 2022-09-30 (the newest item; 5 items)" in text
    assert "--weeks 8" in text


def test_candidates_on_an_empty_store_say_what_to_run(tmp_path: Path) -> None:
    assert radar(tmp_path, "init").returncode == 0
    result = radar(tmp_path, "techs", "candidates")
    assert "radar demo" in " ".join(result.stdout.split())


def test_a_backtest_before_the_data_says_which_dates_the_store_covers(tmp_path: Path) -> None:
    _store(tmp_path, [(datetime(2022, 7, 4, tzinfo=UTC) + timedelta(weeks=w), f"Notice {w}")
                      for w in range(0, 80, 4)])  # fmt: skip
    early = radar(tmp_path, "backtest", "--at", "2018-06-30")
    message = " ".join(early.stderr.split())
    assert early.returncode == 1
    assert "2018-06-30 (2018-W26) is before the store's first item" in message
    assert "run from 2022-07-04 (2022-W27)" in message
    assert "use --at between 2022-12-19 and 2022-12-19" in message
    assert "radar import-archive" in message
    too_late = radar(tmp_path, "backtest", "--at", "2023-06-01")
    assert "a full year after 2023-W22" in too_late.stderr
    nothing = radar(tmp_path, "backtest", "--at", "2022-12-19")
    assert "no technology had 3 mentions" in " ".join(nothing.stderr.split())
