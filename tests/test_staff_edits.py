"""A technology staff add shows on this week's radar at once, lives beside the store, never in
the package, and can be exported; past editions are rebuilt only when asked."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from radar import workflows
from radar.cli import app
from radar.config import Settings
from radar.demo.ingest import ingest_demo
from radar.store.db import open_db
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import Tech
from radar.taxonomy.sidefiles import SEEDS_FILE, SHIPPED_DIR, TOPIC_TERMS_FILE
from tests.conftest import FIXED_NOW

ROOT = Path(__file__).resolve().parents[1]
# Named by 20 demo headlines of the first eight weeks, and not a shipped technology.
DESK = Tech("front-desk", "Front desk", "窓口", "services-work", ("Front desk", "窓口"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight demo weeks, linked and scored by the rules, every edition built."""
    path = tmp_path_factory.mktemp("demo") / "radar.db"
    db = open_db(path)
    settings = Settings(db_path=path, models_dir=path.parent / "models")
    ingest_demo(db, settings, weeks=8)
    workflows.link_and_score(db, settings, FIXED_NOW)
    workflows.build_editions(db, settings, FIXED_NOW)
    db.close()
    return path


@pytest.fixture
def store(demo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "radar.db"
    path.parent.mkdir()
    shutil.copy(demo, path)
    return path


def shipped_bytes() -> dict[Path, bytes]:
    """The package's files and the shipped taxonomy files, byte for byte."""
    files = [p for p in (ROOT / "radar").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [SHIPPED_DIR / n for n in ("taxonomy.yaml", TOPIC_TERMS_FILE, SEEDS_FILE)]
    return {path: path.read_bytes() for path in files}


def built_at(db, week: str) -> str:  # type: ignore[no-untyped-def]
    return db.execute("SELECT max(built_at) FROM editions WHERE week = ?", [week]).fetchone()[0]


def test_an_added_technology_is_on_the_newest_edition_at_once(store: Path) -> None:
    db = open_db(store)
    settings = Settings(db_path=store, models_dir=store.parent / "models")
    weeks = [w for (w,) in db.execute("SELECT DISTINCT week FROM editions ORDER BY week")]
    before = {week: built_at(db, week) for week in weeks}
    package = shipped_bytes()
    later = FIXED_NOW + timedelta(hours=1)
    stages: list[tuple[str, int, int | None]] = []

    path, built = workflows.add_technology(
        db, settings, DESK, later, progress=lambda s, d, t, _label: stages.append((s, d, t))
    )

    assert path == store.parent / "staff" / "taxonomy.yaml"
    assert built == 1
    assert shipped_bytes() == package  # nothing written into the package or shipped files
    newest = db.execute(
        "SELECT ring FROM editions WHERE week = ? AND tech_id = ?", [weeks[-1], DESK.id]
    ).fetchone()
    assert newest is not None, "the new technology is on this week's radar"
    assert built_at(db, weeks[-1]) > before[weeks[-1]]
    assert all(built_at(db, w) == before[w] for w in weeks[:-1])  # the past stays as published
    assert ("editions", 1, 1) in stages
    assert DESK.id not in load_taxonomy()


def test_rebuilding_history_rebuilds_every_edition_with_progress(store: Path) -> None:
    db = open_db(store)
    settings = Settings(db_path=store, models_dir=store.parent / "models")
    weeks = [w for (w,) in db.execute("SELECT DISTINCT week FROM editions ORDER BY week")]
    stages: list[tuple[str, int, int | None]] = []

    _path, built = workflows.add_technology(
        db, settings, DESK, FIXED_NOW + timedelta(hours=1), history=True,
        progress=lambda s, d, t, _label: stages.append((s, d, t)),
    )  # fmt: skip

    assert built == len(weeks)
    steps = [d for s, d, t in stages if s == "editions" and t == len(weeks)]
    assert steps == list(range(1, len(weeks) + 1))
    rows = db.execute("SELECT count(DISTINCT week) FROM editions WHERE tech_id = ?", [DESK.id])
    assert rows.fetchone()[0] > 1  # past editions show it too


def radar(store: Path, *args: str) -> tuple[int, str, str]:
    """Run `radar` in-process on ``store``; (exit code, stdout, stderr)."""
    config = store.parent / "feeds.yaml"
    config.write_text("feeds: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", str(store), "--config", str(config), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_cli_adds_rebuilds_history_with_a_bar_and_exports(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_CLASSIFY_MODELS_DIR", str(store.parent / "models"))
    monkeypatch.chdir(tmp_path)
    package = shipped_bytes()

    code, out, err = radar(store, "techs", "add", "Front desk", "--alias", "窓口", "--ja", "窓口",
                           "--quadrant", "services-work", "--rebuild-history")  # fmt: skip

    assert code == 0, err
    assert "Building editions" in err  # the progress bar
    assert f"to {store.parent / 'staff' / 'taxonomy.yaml'}" in out.replace("\n", "")
    assert "8 editions rebuilt (every edition)" in out
    assert shipped_bytes() == package
    weeks = open_db(store).execute("SELECT week FROM editions WHERE tech_id = ?", [DESK.id])
    assert len(weeks.fetchall()) > 1

    code, out, err = radar(store, "techs", "list", "--json")
    sources = {row["id"]: row["source"] for row in json.loads(out)}
    assert sources[DESK.id] == "staff" and sources["kubernetes"] == "shipped"

    code, out, err = radar(store, "techs", "export", "out")
    assert code == 0, err
    assert load_taxonomy(tmp_path / "out" / "taxonomy.yaml").techs[-1] == DESK
    code, out, err = radar(store, "techs", "export", "out")
    assert code == 2 and "--force" in err


def test_every_shell_reads_the_taxonomy_with_the_staff_layer() -> None:
    """A shell reading ``load_taxonomy(settings.taxonomy_path)`` would not see staff edits."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "radar").rglob("*.py")
        if "taxonomy" not in path.relative_to(ROOT / "radar").parts[:1]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"load_taxonomy\([^)]*taxonomy_path", line)
    ]
    assert offenders == [], "use radar.taxonomy.layers.taxonomy_for(settings)"


def test_the_cli_says_when_a_configured_side_file_is_missing(tmp_path: Path) -> None:
    env = {**os.environ, "RADAR_DB": str(tmp_path / "r.db"),
           "RADAR_CLASSIFY_TOPIC_TERMS": str(tmp_path / "typo.yaml")}  # fmt: skip
    env.pop("RADAR_CONFIG", None)
    listed = subprocess.run(
        [sys.executable, "-m", "radar.cli", "techs", "list", "--json"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    warning = f"{tmp_path / 'typo.yaml'}: configured topic_terms.yaml does not exist; using "
    assert listed.stderr.count(warning) == 1  # once, however often the taxonomy is read
    assert json.loads(listed.stdout)  # and the command still works, on the shipped terms
