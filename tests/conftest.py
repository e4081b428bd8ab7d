"""Shared fixtures: a real local feed server, a fresh database, fast settings, shared data."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from feedserver import FeedServer

from radar.config import HttpSettings, Settings
from radar.store.db import open_db

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REALWORLD = SHARED / "data" / "feeds" / "realworld"
FIXED_NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "radar.db"


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """Tight limits so failure tests are quick; private addresses allowed for 127.0.0.1."""
    return Settings(
        db_path=db_path,
        http=HttpSettings(timeout=1.0, connect_timeout=1.0, allow_private=True,
                          max_body_bytes=200_000),
    )  # fmt: skip


@pytest.fixture
def realworld() -> Path:
    if not REALWORLD.is_dir():
        pytest.skip(f"shared real-world feeds not found at {REALWORLD} (only on CI/dev machines)")
    return REALWORLD
