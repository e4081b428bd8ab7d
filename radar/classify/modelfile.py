"""Read one skops model file, trusting only the types on our allowlist.

skops trusts a long list of scikit-learn and numpy types by default, and ``sio.load`` adds
whatever we pass to that list, so a FunctionTransformer (and the function it calls) nested
in a FeatureUnion would load although we never wrote one. Here every type the file names,
at any depth, must be on TRUSTED_TYPES: the allowlist is the only trust list. A file that
cannot be read at all (a pickle, a truncated zip, a damaged schema.json) is a
CorruptModelError naming it, so callers can fall back to the rules instead of crashing.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

from radar.errors import CorruptModelError

# Every type our training writes (see tests/classify/test_model_files.py), and nothing else.
TRUSTED_TYPES = frozenset(
    {
        # plain data inside estimators' parameters and attributes
        "builtins.NoneType",
        "builtins.bool",
        "builtins.dict",
        "builtins.float",
        "builtins.int",
        "builtins.list",
        "builtins.slice",
        "builtins.str",
        "builtins.tuple",
        "numpy.dtype",
        "numpy.float32",
        "numpy.float64",
        "numpy.int64",
        "numpy.ndarray",
        "scipy.sparse._csr.csr_matrix",
        # the estimators
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn.feature_extraction.text.HashingVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.linear_model._stochastic_gradient.SGDClassifier",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.pipeline.Pipeline",
        # our own analyser of Japanese words (a function in this package, no state)
        "radar.classify.jwords.japanese_words",
    }
)
SCHEMA = "schema.json"


def _named_types(node: Any, found: set[str]) -> None:
    """Collect ``module.class`` of every node in a skops schema (functions and types too)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            module, name = current.get("__module__"), current.get("__class__")
            if isinstance(module, str) and isinstance(name, str):
                found.add(f"{module}.{name}")
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def file_types(path: Path) -> set[str]:
    """Every type a skops file names, as skops audits it and as its schema spells it.

    Raises CorruptModelError when the file is not a readable skops file.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read(SCHEMA))
        found: set[str] = set(sio.get_untrusted_types(file=path))
    except Exception as exc:  # zipfile, json and skops raise many kinds for a damaged file
        raise CorruptModelError(
            f"model: {path} is not a readable skops file ({type(exc).__name__}: {exc})",
            str(path),
        ) from exc
    _named_types(schema, found)
    return found


def load_file(path: Path, kind: type) -> Any:
    """Load a model of class ``kind``; refuse any file naming a type off the allowlist."""
    refused = sorted(file_types(path) - TRUSTED_TYPES)
    if refused:
        raise CorruptModelError(
            f"model: {path} contains untrusted types {', '.join(refused)}; refusing to load it",
            str(path),
        )
    try:
        model = sio.load(path, trusted=sorted(TRUSTED_TYPES))
    except Exception as exc:  # skops raises many kinds for corrupt files
        raise CorruptModelError(f"model: cannot read {path}: {exc}", str(path)) from exc
    if not isinstance(model, kind):
        raise CorruptModelError(f"model: {path} does not hold a {kind.__name__}", str(path))
    return model
