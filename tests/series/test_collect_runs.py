"""Running collection as users do: the migration, the commands, the monthly job, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import NOW, aimed_at

from radar.errors import ConfigError
from radar.records import SeriesPoint
from radar.scheduler import collect_series, resume_series, scheduled_jobs
from radar.series.collect import choose_sources, sources_to_resume
from radar.series.collectors.base import DailyQuota, QuotaSpent
from radar.store import db as db_module
from radar.store.db import open_db
from radar.store.series import points_for, upsert_points
from radar.store.series_health import SourceHealth, is_demo_store, record_health, source_health
from radar.taxonomy.sidefiles import DEFAULT_TAXONOMY_PATH

ROOT = Path(__file__).resolve().parents[2]
SERIES_BLOCK = "series: {wikipedia_en: [Kubernetes]}"


def test_the_health_table_arrives_on_a_store_made_by_the_previous_release(db_path, monkeypatch):
    previous = tuple(m for m in db_module.MIGRATIONS if m[0] != "014_series_health")
    monkeypatch.setattr(db_module, "MIGRATIONS", previous)
    old = open_db(db_path)
    upsert_points(old, [SeriesPoint("npm_downloads", "react", "2025-01", "2025-01-31", 5.0)])
    old.close()
    monkeypatch.undo()

    new = open_db(db_path)

    assert source_health(new) == {}
    assert [p.count for p in points_for(new, [("npm_downloads", "react")])] == [5.0]
    names = [row[0] for row in new.execute("SELECT name FROM migrations ORDER BY name")]
    assert names[-1] == "014_series_health"


def test_a_daily_quota_counts_requests_and_starts_again_on_a_new_utc_day():
    quota = DailyQuota(limit=2, day="2026-03-15")
    quota.take(NOW, "Test API")
    quota.take(NOW, "Test API")
    try:
        quota.take(NOW, "Test API")
    except QuotaSpent as exc:
        assert exc.resume_at.isoformat() == "2026-03-16T00:00:00+00:00"
    else:
        raise AssertionError("the third request of the day was allowed")
    quota.take(NOW.replace(day=16), "Test API")
    assert (quota.day, quota.used) == ("2026-03-16", 1)


def test_the_monthly_job_is_scheduled_on_the_second_and_skips_when_collection_is_off(
    apis, db_path, taxonomy, caplog
):
    settings = aimed_at(apis, db_path)
    (job,) = [j for j in scheduled_jobs(settings) if j.id == "monthly-series"]
    assert job.trigger == "cron" and job.trigger_args["day"] == 2

    off = aimed_at(apis, db_path, collect=False)
    with caplog.at_level("INFO", logger="radar.jobs"):
        collect_series(off)
    assert "collection is off" in caplog.text and apis.requests == []


def _taxonomy_file(tmp_path: Path) -> Path:
    """The shipped quadrants and Kubernetes alone, named only by its English Wikipedia article."""
    path = tmp_path / "taxonomy.yaml"
    shipped = yaml.safe_load(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))
    [kubernetes] = [t for t in shipped["techs"] if t["id"] == "kubernetes"]
    kubernetes["series"] = yaml.safe_load(SERIES_BLOCK)["series"]
    document = {"quadrants": shipped["quadrants"], "techs": [kubernetes]}
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_paused_source_is_resumed_by_the_hourly_job_once_its_pause_is_over(
    apis, db_path, tmp_path
):
    apis.pageviews[("en.wikipedia", "Kubernetes")] = {"2025-10": 900}
    db = open_db(db_path)
    record_health(db, SourceHealth("wikipedia_en", last_attempt_at="2026-03-15T10:00:00Z",
                                   resume_at="2026-03-15T11:00:00Z"))  # fmt: skip
    record_health(db, SourceHealth("hn_stories", last_attempt_at="2026-03-15T10:00:00Z",
                                   resume_at="2099-01-01T00:00:00Z"))  # fmt: skip
    assert sources_to_resume(source_health(db), NOW) == ["wikipedia_en"]
    (job,) = [j for j in scheduled_jobs(aimed_at(apis, db_path)) if j.id == "series-resume"]
    assert job.trigger == "interval" and job.trigger_args == {"hours": 1}

    resume_series(replace(aimed_at(apis, db_path), taxonomy_path=_taxonomy_file(tmp_path)))

    assert apis.paths("/wm") and not apis.paths("/hn")
    assert source_health(db)["wikipedia_en"].status == "ok"


def _add_demo_feed(db) -> None:  # type: ignore[no-untyped-def]
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, origin, created_at)"
        " VALUES ('demo-a', 'A', 'http://x/a', 'http://x/a', 'demo', '2026-01-01')"
    )


def test_the_monthly_job_leaves_the_demo_store_alone(apis, db_path, caplog):
    db = open_db(db_path)
    _add_demo_feed(db)
    assert is_demo_store(db)

    with caplog.at_level("INFO", logger="radar.jobs"):
        collect_series(aimed_at(apis, db_path))

    assert "offline demo has no collectors" in caplog.text and apis.requests == []


def _radar(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "RADAR_DB": str(tmp_path / "r.db"), "COLUMNS": "200", **env}
    full_env.pop("RADAR_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "radar.cli", *args], cwd=tmp_path, env=full_env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_update_says_what_it_stored_and_health_lists_every_source(apis, tmp_path):
    apis.pageviews[("en.wikipedia", "Kubernetes")] = {"2025-10": 900}
    base = apis.base
    (tmp_path / "feeds.yaml").write_text(
        "settings:\n  http:\n    allow_private: true\n  series:\n    since: 2025-10\n"
        f"    wikimedia_url: {base}/wm\n",
        encoding="utf-8",
    )
    env = {"RADAR_CONFIG": str(tmp_path / "feeds.yaml"),
           "RADAR_CLASSIFY_TAXONOMY": str(_taxonomy_file(tmp_path))}  # fmt: skip

    updated = _radar(tmp_path, "series", "update", "--source", "wikipedia_en", **env)
    health = _radar(tmp_path, "series", "health", **env)

    assert updated.returncode == 0, updated.stderr
    assert "Stored 1 monthly values from 1 requests" in updated.stdout
    assert health.returncode == 0, health.stderr
    lines = health.stdout.splitlines()
    assert any("wikipedia_en" in line and "ok" in line for line in lines)
    assert any("gdelt_ja" in line and "never run" in line for line in lines)


def test_an_unknown_source_is_refused_naming_the_choices():
    with pytest.raises(ConfigError, match=r"unknown source.*myspace; choose from wikipedia_ja"):
        choose_sources(["wikipedia_en", "myspace"])
    assert choose_sources(None)[-1] == "gdelt_en"


def test_update_explains_the_off_switch_and_that_the_demo_has_no_collectors(apis, tmp_path):
    off = _radar(tmp_path, "series", "update", RADAR_SERIES_COLLECT="false")
    assert off.returncode == 0 and "Series collection is off" in off.stdout

    db = open_db(tmp_path / "r.db")
    _add_demo_feed(db)
    db.close()
    demo = _radar(tmp_path, "series", "update")
    assert demo.returncode == 0 and "offline demo has no collectors" in demo.stdout
