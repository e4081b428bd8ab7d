"""Versioned models on disk: models/<version>/ with skops files, metrics.json and a card.

skops, never pickle: loading checks every type in the file against a pinned allowlist and
refuses anything else with a clear error, so a planted model file cannot run code.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import skops.io as sio
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import FeatureUnion

from radar.classify.train import Models
from radar.errors import RadarError

CURRENT = "CURRENT"
TRUSTED_TYPES = frozenset(
    {
        "numpy.dtype",
        "numpy.ndarray",
        "builtins.slice",
        "scipy.sparse._csr.csr_matrix",
        "sklearn.feature_extraction.text.HashingVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.pipeline.Pipeline",
        "sklearn.linear_model._stochastic_gradient.SGDClassifier",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.pipeline.FeatureUnion",
    }
)
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


class ModelError(RadarError):
    """A model version is missing or its file holds types we do not trust."""


def save_version(
    root: Path, models: Models, metrics: dict[str, Any], card: str, now: datetime
) -> str:
    """Write a new version directory and return its name (it is not promoted here)."""
    version = now.strftime("%Y%m%d-%H%M%S")
    folder = root / version
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = root / f"{version}-{suffix}"
    folder.mkdir(parents=True)
    for name, filename in _FILES.items():
        model = getattr(models, name)
        if model is not None:
            sio.dump(model, folder / filename, compression=zipfile.ZIP_DEFLATED)
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    return folder.name


def _load_file(path: Path, kind: type) -> Any:
    untrusted = set(sio.get_untrusted_types(file=path))
    refused = sorted(untrusted - TRUSTED_TYPES)
    if refused:
        raise ModelError(
            f"model: {path} contains untrusted types {', '.join(refused)}; refusing to load it"
        )
    try:
        model = sio.load(path, trusted=sorted(untrusted))
    except Exception as exc:  # skops raises many kinds for corrupt files
        raise ModelError(f"model: cannot read {path}: {exc}") from exc
    if not isinstance(model, kind):
        raise ModelError(f"model: {path} does not hold a {kind.__name__}")
    return model


def current_version(root: Path) -> str | None:
    """The promoted version, if any."""
    pointer = root / CURRENT
    return pointer.read_text(encoding="utf-8").strip() or None if pointer.exists() else None


def use_version(root: Path, version: str) -> None:
    """Promote (or roll back to) a version."""
    if not (root / version / "metrics.json").exists():
        raise ModelError(f"model: no version {version!r} in {root} (see `radar models`)")
    tmp = root / (CURRENT + ".tmp")
    tmp.write_text(version + "\n", encoding="utf-8")
    tmp.replace(root / CURRENT)


def load_version(root: Path, version: str | None = None) -> tuple[str, Models] | None:
    """Load a version (default: the current one); None when nothing was ever promoted."""
    version = version or current_version(root)
    if version is None:
        return None
    folder = root / version
    if not folder.is_dir():
        raise ModelError(f"model: version {version!r} is missing from {root}")
    loaded = {
        name: (
            _load_file(folder / filename, _KINDS[name]) if (folder / filename).exists() else None
        )
        for name, filename in _FILES.items()
    }
    if loaded["features"] is None:
        raise ModelError(f"model: version {version!r} has no features.skops")
    return version, Models(**loaded)


def reads_meaning(root: Path, version: str) -> bool:
    """Whether a version has the sentence-meaning models (without loading it)."""
    return (root / version / _FILES["meaning"]).exists()


def read_metrics(root: Path, version: str) -> dict[str, Any]:
    """A version's metrics.json."""
    return dict(json.loads((root / version / "metrics.json").read_text(encoding="utf-8")))


def list_versions(root: Path) -> list[dict[str, Any]]:
    """Every version, newest first, with its metrics and whether it is current."""
    current = current_version(root)
    if not root.is_dir():
        return []
    rows = []
    for folder in sorted(root.iterdir(), reverse=True):
        if (folder / "metrics.json").exists():
            rows.append(
                {"version": folder.name, "current": folder.name == current,
                 "metrics": read_metrics(root, folder.name)}
            )  # fmt: skip
    return rows
