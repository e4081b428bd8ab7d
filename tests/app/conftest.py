"""App fixtures: a demo store built once (20 weeks, linked, scored, editions), copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from radar.app.auth import hash_password
from radar.classify.linking import link_store
from radar.classify.retrain import score_store
from radar.config import Settings
from radar.demo.ingest import ingest_demo
from radar.staying.editions import build_editions, pending_weeks
from radar.store.db import open_db
from radar.taxonomy.load import load_taxonomy
from tests.conftest import FIXED_NOW

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PASSWORD = "correct horse battery staple"
USERS = f"sato:{hash_password(PASSWORD, iterations=1000)}"


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with 20 demo weeks, linked, rule-scored and with every edition built."""
    path = tmp_path_factory.mktemp("demo") / "radar.db"
    db = open_db(path)
    ingest_demo(db, Settings(db_path=path), weeks=20)
    taxonomy = load_taxonomy()
    link_store(db, taxonomy)
    score_store(db, taxonomy, path.parent / "models", FIXED_NOW)
    build_editions(db, taxonomy, pending_weeks(db), FIXED_NOW)
    db.close()
    return path


def _env(monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    monkeypatch.setenv("RADAR_DB", str(db_path))
    monkeypatch.setenv("RADAR_CONFIG", str(ROOT / "feeds.yaml"))
    monkeypatch.setenv("RADAR_CLASSIFY_MODELS_DIR", str(db_path.parent / "models"))
    monkeypatch.setenv("RADAR_APP_USERS", USERS)
    # The pages' retraining jobs embed every demo title: USE alone keeps them within their
    # waits on a loaded machine (e5's own path is tested in tests/classify).
    monkeypatch.setenv("RADAR_CLASSIFY_RELEVANCE_ENCODER", "use")
    monkeypatch.delenv("RADAR_APP_OPEN_READ", raising=False)
    monkeypatch.delenv("RADAR_APP_LANG", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, db_path: Path) -> Path:
    """An empty store (created on first open) for the app."""
    _env(monkeypatch, db_path)
    return db_path


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, demo_store: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo store, wired to the app through the environment."""
    path = tmp_path / "store" / "radar.db"
    path.parent.mkdir()
    shutil.copy(demo_store, path)
    _env(monkeypatch, path)
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def page(name: str, lang: str = "en", user: str | None = None) -> AppTest:
    """One page drawn on its own (as main() would), optionally signed in."""

    def script(page_name: str, ui_lang: str) -> None:
        import importlib

        importlib.import_module(f"radar.app.views.{page_name}").render(ui_lang)

    at = AppTest.from_function(script, args=(name, lang), default_timeout=60)
    if user:
        at.session_state["radar_user"] = user
    return at


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    return page
