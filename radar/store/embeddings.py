"""Title embeddings kept beside the items: each item is embedded once, ever.

Embedding a title is most of the cost of scoring it (about 0.8 ms of 0.9 ms), and every
promoted model re-scores the whole store and retrains on up to 50,000 items, so without a
cache each retrain embedded the same titles again. Vectors are stored as float16, 1 KB an
item: the models' probabilities move by less than 0.001 (tests/store/test_embeddings.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import sqlite_utils

from radar.store.db import transaction

_DTYPE = np.float16


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` at the stored precision: an item scores the same before and after caching."""
    return np.asarray(vectors, _DTYPE).astype(np.float32)


def read_vectors(
    db: sqlite_utils.Database, item_ids: Sequence[int], encoder: str
) -> dict[int, np.ndarray]:
    """The stored vectors (float32) of those items that have one from ``encoder``."""
    if not item_ids:
        return {}
    rows = db.execute(
        "SELECT item_id, vector FROM embeddings WHERE encoder = ?"
        " AND item_id IN (SELECT value FROM json_each(?))",
        [encoder, json.dumps([int(i) for i in item_ids])],
    )
    return {item_id: np.frombuffer(blob, _DTYPE).astype(np.float32) for item_id, blob in rows}


def write_vectors(
    db: sqlite_utils.Database, item_ids: Sequence[int], vectors: np.ndarray, encoder: str
) -> None:
    """Store (or replace) one vector per item, in one transaction."""
    rows = [
        (int(item_id), encoder, np.asarray(vector, _DTYPE).tobytes())
        for item_id, vector in zip(item_ids, vectors, strict=True)
    ]
    with transaction(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO embeddings (item_id, encoder, vector) VALUES (?, ?, ?)", rows
        )
