"""The flows the CLI, the scheduler and the app share behave the same whoever calls them."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from radar import workflows
from radar.classify.registry import current_version
from radar.config import Settings
from radar.demo.ingest import ingest_demo
from radar.errors import ConfigError
from radar.store.editions import edition_weeks, load_edition
from radar.timefmt import to_iso
from tests.conftest import FIXED_NOW


@pytest.fixture
def demo_store(db, settings: Settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Eight demo weeks, linked and scored, a first model trained, editions built."""
    settings = dataclasses.replace(settings, models_dir=tmp_path / "models", sentence_model=False)
    ingest_demo(db, settings, weeks=8)
    assert workflows.first_model(db, settings, FIXED_NOW) is not None
    workflows.build_editions(db, settings, FIXED_NOW)
    return db, settings


def _models_scoring(db) -> set[str]:  # type: ignore[no-untyped-def]
    return {row[0] for row in db.execute("SELECT DISTINCT model FROM scores")}


def _built_at(db, week: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {row[0] for row in db.execute("SELECT built_at FROM editions WHERE week = ?", [week])}


def test_switching_model_rescores_every_item_and_rebuilds_the_newest_edition(demo_store) -> None:  # type: ignore[no-untyped-def]
    db, settings = demo_store
    first = current_version(settings.models_dir)
    later = FIXED_NOW.replace(year=FIXED_NOW.year + 1)
    second = workflows.retrain(db, settings, later, force=True)
    assert second.promoted and _models_scoring(db) == {second.version}
    newest = edition_weeks(db)[0]
    steps: list[str] = []
    switch_at = later + timedelta(days=1)
    workflows.switch_model(
        db, settings, first, switch_at, progress=lambda stage, *_: steps.append(stage)
    )
    assert current_version(settings.models_dir) == first
    assert _models_scoring(db) == {first}  # every item, not only new ones
    assert "score" in steps and "editions" in steps
    assert _built_at(db, newest) == {to_iso(switch_at)}


def test_models_use_on_the_command_line_is_the_same_flow_as_the_app(
    demo_store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db, settings = demo_store
    first = current_version(settings.models_dir)
    second = workflows.retrain(db, settings, FIXED_NOW, force=True).version
    assert _models_scoring(db) == {second}
    env = {**os.environ, "RADAR_DB": str(settings.db_path),
           "RADAR_CLASSIFY_MODELS_DIR": str(settings.models_dir)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "radar.cli", "models", "use", first],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _models_scoring(db) == {first}


def test_a_staff_decision_is_checked_before_anything_is_stored(demo_store) -> None:  # type: ignore[no-untyped-def]
    db, settings = demo_store
    tech = load_edition(db, edition_weeks(db)[0])[0]["tech_id"]
    bad = [(tech, "hold", "no use for us"), ("no-such-tech", "hold", "why")]
    with pytest.raises(ConfigError, match="no-such-tech"):
        workflows.record_overrides(db, settings, bad, "sato", None, FIXED_NOW)
    with pytest.raises(ConfigError, match="say why"):
        workflows.record_overrides(db, settings, [(tech, "hold", "  ")], "sato", None, FIXED_NOW)
    with pytest.raises(ConfigError, match="ISO week"):
        workflows.record_overrides(db, settings, [(tech, "hold", "x")], "sato", "W12", FIXED_NOW)
    assert db.execute("SELECT count(*) FROM overrides").fetchone()[0] == 0
    week = workflows.record_overrides(
        db, settings, [(tech, "hold", "no use for us")], "sato", None, FIXED_NOW
    )
    placed = {b["tech_id"]: b for b in load_edition(db, week)}[tech]
    assert placed["ring"] == "hold" and placed["human"]
