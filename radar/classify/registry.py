"""Saving and loading model versions (models/<version>/ with skops files, metrics.json, a card).

skops, never pickle: every type in a file is checked against a pinned allowlist
(:mod:`radar.classify.modelfile`), so a planted model file cannot run code. A version is
written into a hidden folder and renamed into place when complete, so a training killed
midway leaves no half-written version (and the leftovers are removed by the next one). A
current version that cannot be read is reported once and scoring falls back to the weak
rules until `radar train` builds a new one.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import skops.io as sio
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import FeatureUnion

from radar.classify.modelfile import TRUSTED_TYPES, load_file
from radar.classify.train import Models
from radar.classify.versions import (
    CURRENT,
    FILES,
    METRICS,
    PARTIAL,
    UNREADABLE,
    current_version,
    list_versions,
    note_unreadable,
    read_metrics,
    reads_meaning,
    remove_incomplete,
)
from radar.errors import CorruptModelError, ModelError

__all__ = [
    "TRUSTED_TYPES", "CorruptModelError", "ModelError", "current_version", "list_versions",
    "load_usable", "load_version", "read_metrics", "reads_meaning", "save_version",
    "use_version",
]  # fmt: skip

_KINDS: dict[str, type] = {
    "features": FeatureUnion,
    "topic": SGDClassifier,
    "relevance": SGDClassifier,
    "staying": SGDClassifier,
    "meaning": LogisticRegression,
    "meaning_relevance": LogisticRegression,
}


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
    for key, filename in FILES.items():
        model = getattr(models, key)
        if model is not None:
            sio.dump(model, partial / filename, compression=zipfile.ZIP_DEFLATED)
    (partial / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    (partial / METRICS).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    partial.rename(root / name)  # atomic; fails rather than merge if the name was taken
    return name


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
        for name, filename in FILES.items()
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
        note_unreadable(root, str(exc))
        return None
    if loaded is not None:
        (root / UNREADABLE).unlink(missing_ok=True)  # readable again (restored by hand)
    return loaded
