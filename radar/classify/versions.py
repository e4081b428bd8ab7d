"""Model versions on disk, read without loading a model: which is current, their metrics.

A folder per version (models/<version>/ with skops files, metrics.json and a card) and a
CURRENT pointer. Everything here reads only JSON and folder names, so a poll that asks
"is there a model yet?" never imports scikit-learn (about 2 s of start-up); loading and
saving the model files is :mod:`radar.classify.registry`.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from radar.errors import CorruptModelError, ModelError

log = logging.getLogger("radar.classify")

CURRENT = "CURRENT"
UNREADABLE = "CURRENT.unreadable"  # why the current version is not used (JSON), while it is not
METRICS = "metrics.json"  # written last: a version folder without it is incomplete
PARTIAL = ".partial-"  # prefix of a version still being written
STALE_PARTIAL_SECONDS = 3600  # an older partial folder belongs to a training that died
VERSION_NAME = re.compile(r"\d{8}-\d{6}(-\d+)?")
FILES = {
    "features": "features.skops",
    "topic": "topic.skops",
    "relevance": "relevance.skops",
    "staying": "staying.skops",  # absent in versions trained before the staying model
    "meaning": "meaning.skops",  # absent in versions trained before the meaning models
    "meaning_relevance": "meaning_relevance.skops",
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
        unfinished = VERSION_NAME.fullmatch(folder.name) and not (folder / METRICS).exists()
        if stale or unfinished:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


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


def note_unreadable(root: Path, error: str) -> None:
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
    return (root / version / FILES["meaning"]).exists()


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
