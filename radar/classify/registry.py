"""Versioned models on disk: models/<version>/ with skops files, metrics.json and a card.

skops, never pickle: every type in a file is checked against a pinned allowlist
(:mod:`radar.classify.modelfile`), so a planted model file cannot run code. A version is
written into a hidden folder and renamed into place when complete, so a training killed
midway leaves no half-written version (and the leftovers are removed by the next one). A
current version that cannot be read is reported once and scoring falls back to the weak
rules until `radar train` builds a new one.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import zipfile
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import skops.io as sio
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import FeatureUnion

from radar.classify.modelfile import TRUSTED_TYPES, load_file
from radar.classify.train import Models
from radar.errors import CorruptModelError, ModelError

__all__ = [
    "TRUSTED_TYPES", "CorruptModelError", "ModelError", "current_version", "list_versions",
    "load_usable", "load_version", "read_metrics", "reads_meaning", "save_version",
    "use_version",
]  # fmt: skip

log = logging.getLogger("radar.classify")

CURRENT = "CURRENT"
UNREADABLE = "CURRENT.unreadable"  # why the current version is not used (JSON), while it is not
METRICS = "metrics.json"  # written last: a version folder without it is incomplete
PARTIAL = ".partial-"  # prefix of a version still being written
STALE_PARTIAL_SECONDS = 3600  # an older partial folder belongs to a training that died
_VERSION = re.compile(r"\d{8}-\d{6}(-\d+)?")
_FILES = {
    "features": "features.skops",
    "topic": "topic.skops",
    "relevance": "relevance.skops",
    "staying": "staying.skops",  # absent in versions trained before the staying model
    "meaning": "meaning.skops",  # absent in versions trained before the meaning models
    "meaning_relevance": "meaning_relevance.skops",
}
_KINDS: dict[str, type] = {
    "features": FeatureUnion,
    "topic": SGDClassifier,
    "relevance": SGDClassifier,
    "staying": SGDClassifier,
    "meaning": LogisticRegression,
    "meaning_relevance": LogisticRegression,
}


def remove_incomplete(root: Path, now: float | None = None) -> list[str]:
    """Delete what killed trainings left: stale partial folders and versions without metrics.

    A partial folder younger than STALE_PARTIAL_SECONDS may belong to a training still
    running in another process, so it stays. Returns the names removed.
    """
    if not root.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        partial = folder.name.startswith(PARTIAL)
        stale = partial and now - folder.stat().st_mtime > STALE_PARTIAL_SECONDS
        unfinished = _VERSION.fullmatch(folder.name) and not (folder / METRICS).exists()
        if stale or unfinished:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def save_version(
    root: Path, models: Models, metrics: dict[str, Any], card: str, now: datetime
) -> str:
    """Write a new version directory and return its name (it is not promoted here).

    The files go to a partial folder first; the rename that gives it its version name is the
    last step, so a version either exists whole or not at all.
    """
    root.mkdir(parents=True, exist_ok=True)
    remove_incomplete(root)
    version = now.strftime("%Y%m%d-%H%M%S")
    name, suffix = version, 1
    while (root / name).exists():
        suffix += 1
        name = f"{version}-{suffix}"
    partial = root / f"{PARTIAL}{name}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for key, filename in _FILES.items():
        model = getattr(models, key)
        if model is not None:
            sio.dump(model, partial / filename, compression=zipfile.ZIP_DEFLATED)
    (partial / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    (partial / METRICS).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    partial.rename(root / name)  # atomic; fails rather than merge if the name was taken
    return name


def current_version(root: Path) -> str | None:
    """The promoted version, if any (a damaged pointer file is a ModelError)."""
    pointer = root / CURRENT
    if not pointer.exists():
        return None
    try:
        version = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorruptModelError(f"model: cannot read {pointer}: {exc}", str(pointer)) from exc
    if version and (version != Path(version).name or version.startswith(".")):
        raise CorruptModelError(
            f"model: {pointer} does not name a version folder in {root}", str(pointer)
        )
    return version or None


def use_version(root: Path, version: str) -> None:
    """Promote (or roll back to) a version, after checking every file of it can be read."""
    if version != Path(version).name or not (root / version / METRICS).exists():
        raise ModelError(f"model: no version {version!r} in {root} (see `radar models`)")
    load_version(root, version)
    tmp = root / (CURRENT + ".tmp")
    tmp.write_text(version + "\n", encoding="utf-8")
    tmp.replace(root / CURRENT)
    (root / UNREADABLE).unlink(missing_ok=True)


def load_version(root: Path, version: str | None = None) -> tuple[str, Models] | None:
    """Load a version (default: the current one); None when nothing was ever promoted.

    Raises ModelError (CorruptModelError naming the file) when it cannot be used.
    """
    version = version or current_version(root)
    if version is None:
        return None
    folder = root / version
    if not folder.is_dir():
        raise ModelError(f"model: version {version!r} is missing from {root}")
    read_metrics(root, version)  # a version is complete only with readable metrics
    loaded = {
        name: (load_file(folder / filename, _KINDS[name]) if (folder / filename).exists() else None)
        for name, filename in _FILES.items()
    }
    if loaded["features"] is None:
        raise CorruptModelError(
            f"model: version {version!r} has no features.skops", str(folder / "features.skops")
        )
    return version, Models(**loaded)


def load_usable(root: Path) -> tuple[str, Models] | None:
    """The current version for scoring, or None to score with the weak rules.

    A current version that cannot be read does not stop fetching, scoring or training: the
    first time, the reason is logged and kept in CURRENT.unreadable (shown by `radar models`
    and the models listing); later calls fall back quietly until a version is promoted.
    """
    try:
        loaded = load_version(root)
    except ModelError as exc:
        _note_unreadable(root, str(exc))
        return None
    if loaded is not None:
        (root / UNREADABLE).unlink(missing_ok=True)  # readable again (restored by hand)
    return loaded


def _note_unreadable(root: Path, error: str) -> None:
    try:
        version = current_version(root)
    except ModelError:
        version = None
    note = {"version": version, "error": error}
    if unreadable_note(root) == note:
        return
    log.warning("%s; scoring with the weak rules until `radar train` builds a new version", error)
    with suppress(OSError):  # a read-only models folder: the warning above is all we can do
        (root / UNREADABLE).write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")


def unreadable_note(root: Path) -> dict[str, Any] | None:
    """Why the current version is not used, if it was found unreadable (see load_usable)."""
    try:
        note = json.loads((root / UNREADABLE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None


def reads_meaning(root: Path, version: str) -> bool:
    """Whether a version has the sentence-meaning models (without loading it)."""
    return (root / version / _FILES["meaning"]).exists()


def read_metrics(root: Path, version: str) -> dict[str, Any]:
    """A version's metrics.json (CorruptModelError naming it when it is damaged)."""
    path = root / version / METRICS
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"model: version {version!r} has no {METRICS} in {root}") from None
    except (OSError, ValueError) as exc:
        raise CorruptModelError(f"model: cannot read {path}: {exc}", str(path)) from exc
    if not isinstance(metrics, dict):
        raise CorruptModelError(f"model: {path} does not hold a JSON object", str(path))
    return metrics


def list_versions(root: Path) -> list[dict[str, Any]]:
    """Every version, newest first, with its metrics and whether it is current.

    A version that cannot be used has ``unreadable`` with the reason (its metrics are
    empty when metrics.json itself is damaged).
    """
    if not root.is_dir():
        return []
    try:
        current = current_version(root)
    except ModelError:
        current = None
    note = unreadable_note(root)
    rows = []
    for folder in sorted(root.iterdir(), reverse=True):
        if folder.name.startswith(".") or not (folder / METRICS).exists():
            continue
        row: dict[str, Any] = {"version": folder.name, "current": folder.name == current}
        try:
            row["metrics"] = read_metrics(root, folder.name)
        except ModelError as exc:
            row["metrics"], row["unreadable"] = {}, str(exc)
        if note and note.get("version") == folder.name:
            row["unreadable"] = str(note.get("error"))
        rows.append(row)
    return rows
