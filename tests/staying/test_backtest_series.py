"""`radar backtest` with stored series: only values dated before the date feed the model.

A small real store (two feeds of hand-written headlines, linked to the shipped taxonomy) plus
series points written the way `radar import-series` stores them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from radar.classify.linking import link_store
from radar.records import SeriesPoint
from radar.staying import backtest as backtest_module
from radar.staying.backtest import backtest
from radar.store.db import open_db
from radar.store.series import upsert_points
from radar.taxonomy.load import load_taxonomy
from tests.stored import store_items

START = datetime(2014, 1, 6, 9, tzinfo=UTC)
AT = datetime(2016, 6, 30, tzinfo=UTC)
JOBS = "hn_whoishiring_postings"


def _headlines(feed_offset: int) -> list[tuple[datetime, str, str]]:
    """Weekly headlines for four years: three lasting technologies and one that fades."""
    rows = []
    for week in range(0, 200):
        when = START + timedelta(weeks=week, hours=feed_offset)
        rows.append((when, f"Kubernetes release notes, part {week}", ""))
        rows.append((when, f"Docker tips for week {week}", ""))
        if week % 2 == 0:
            rows.append((when, f"Terraform module roundup {week}", ""))
        if week < 120 or week % 9 == 0:
            rows.append((when, f"The metaverse is coming, episode {week}", ""))
    return rows


def _monthly(term: str, shares: dict[int, float], months: range = range(1, 13)) -> list:  # type: ignore[type-arg]
    points = []
    for year, share in shares.items():
        for month in months:
            end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            points.append(
                SeriesPoint(JOBS, term, f"{year}-{month:02d}", end.isoformat(),
                            share * 1000, 1000, share)
            )  # fmt: skip
    return points


@pytest.fixture(scope="module")
def store(tmp_path_factory):  # type: ignore[no-untyped-def]
    db = open_db(tmp_path_factory.mktemp("backtest") / "radar.db")
    store_items(db, "alpha", _headlines(0))
    store_items(db, "beta", _headlines(1))
    link_store(db, load_taxonomy())
    upsert_points(db, _monthly("Kubernetes", {2013: 0.02, 2014: 0.03, 2015: 0.05, 2016: 0.07}))
    upsert_points(db, _monthly("Docker", {2013: 0.04, 2014: 0.05, 2015: 0.05, 2016: 0.05}))
    yield db
    db.close()


@pytest.fixture(autouse=True)
def _few_resamples(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bootstrap intervals are not under test here; 1,000 resamples cost a minute."""
    monkeypatch.setattr(backtest_module, "BOOTSTRAP", 20)


def test_backtest_reports_the_model_with_and_without_series_on_one_truth(store) -> None:  # type: ignore[no-untyped-def]
    result = backtest(store, AT, taxonomy=load_taxonomy())
    scored = {t["tech"]: t for t in result["technologies"]}
    assert {"kubernetes", "docker", "terraform", "metaverse"} <= set(scored)
    assert result["with_series"] == 2
    # Kubernetes and Docker are judged by their job postings (they held), the rest by coverage.
    assert scored["kubernetes"]["basis"] == scored["docker"]["basis"] == "adoption"
    assert scored["kubernetes"]["outcome"] == 1
    assert scored["metaverse"]["basis"] == "coverage"
    assert result["truth_basis"]["adoption"] == 2
    assert set(result["model_without_series"]) <= set(result["model"])  # + vs persistence
    # "has a series" is a baseline too: where each tier of the truth holds one outcome it ranks
    # perfectly by itself, and the within-tier figures say what is left to rank
    assert set(result["baselines"]) == {"persistence", "volume", "series"}
    assert result["within_tiers"]["n"] == sum(
        row["n"] for row in result["by_basis"].values() if 0 < row["positives"] < row["n"]
    )
    # Without series the model cannot tell Kubernetes's job postings from nothing.
    assert scored["terraform"]["score"] == scored["terraform"]["score_without_series"]
    assert result["by_basis"]["adoption"]["n"] == 2


def test_backtest_uses_no_series_value_dated_after_the_date(store) -> None:  # type: ignore[no-untyped-def]
    before = backtest(store, AT, taxonomy=load_taxonomy())
    # A year later Kubernetes's postings collapse: the truth changes, the scores must not.
    upsert_points(store, _monthly("Kubernetes", {2016: 0.002}, range(7, 13)))
    upsert_points(store, _monthly("Kubernetes", {2017: 0.002}))
    after = backtest(store, AT, taxonomy=load_taxonomy())
    scores = lambda r: {t["tech"]: t["score"] for t in r["technologies"]}  # noqa: E731
    assert scores(after) == scores(before)
    truth = {t["tech"]: t["outcome"] for t in after["technologies"]}
    assert truth["kubernetes"] == 0


def test_a_technology_whose_adoption_series_end_before_the_year_is_out_has_no_outcome(
    tmp_path: Path,
) -> None:
    """Its series stopped, not the technology: it is left out, never judged by coverage."""
    db = open_db(tmp_path / "radar.db")
    store_items(db, "alpha", _headlines(0))
    store_items(db, "beta", _headlines(1))
    link_store(db, load_taxonomy())
    upsert_points(db, _monthly("Kubernetes", {2013: 0.02, 2014: 0.03, 2015: 0.05, 2016: 0.07}))
    # Terraform's job postings were real at the date, but the series stops a month before it
    upsert_points(db, _monthly("Terraform", {2014: 0.03, 2015: 0.03}))
    upsert_points(db, _monthly("Terraform", {2016: 0.03}, range(1, 5)))

    result = backtest(db, AT, taxonomy=load_taxonomy())

    assert result["censored"] == ["terraform"]
    assert "terraform" not in {t["tech"] for t in result["technologies"]}
    assert result["n"] == len(result["technologies"])
