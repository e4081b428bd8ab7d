"""Fixtures for the collectors: the fake APIs on a real local server, settings aimed at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from apiserver import SeriesApis

from radar.config import HttpSettings, Settings
from radar.settings import SeriesSettings
from radar.taxonomy.model import Quadrant, Taxonomy, Tech

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def apis() -> Iterator[SeriesApis]:
    server = SeriesApis().start()
    yield server
    server.stop()


def aimed_at(server: SeriesApis, db_path: Path, **series: object) -> Settings:
    """Settings whose collectors ask the local server, quickly paced, from 2025-10."""
    base = server.base
    return Settings(
        db_path=db_path,
        http=HttpSettings(timeout=2.0, connect_timeout=1.0, allow_private=True,
                          max_body_bytes=200_000),
        series=replace(
            SeriesSettings(
                since="2025-10", wikimedia_url=f"{base}/wm", hn_url=f"{base}/hn",
                stackexchange_url=f"{base}/se", npm_url=f"{base}/npm",
                qiita_url=f"{base}/qiita", gdelt_url=f"{base}/gdelt",
                min_interval=0.005, max_wait_seconds=5.0, backoff_seconds=0.05,
            ),
            **series,
        ),
    )  # fmt: skip


@pytest.fixture
def taxonomy() -> Taxonomy:
    quadrant = Quadrant("platforms", "Platforms", "基盤")
    return Taxonomy(
        quadrants=(quadrant,),
        techs=(
            Tech("kubernetes", "Kubernetes", "Kubernetes", "platforms", ("Kubernetes", "k8s"),
                 series=(("wikipedia_en", ("Kubernetes",)), ("wikipedia_ja", ("Kubernetes",)),
                         ("stackoverflow", ("kubernetes",)), ("qiita", ("kubernetes",)))),
            Tech("react", "React", "React", "platforms", ("React", "React.js"),
                 series=(("npm", ("react",)), ("wikipedia_en", ("React (software)",)))),
            Tech("svelte", "Svelte", "Svelte", "platforms", ("Svelte",),
                 series=(("npm", ("svelte-not-published",)),
                         ("wikipedia_en", ("No such article",)))),
        ),
    )  # fmt: skip
