"""Stored title embeddings, one row per item and encoder (``radar.classify.vectors`` uses them).

Titles never change once stored, so a vector stays valid for as long as its encoder does;
the key names the encoder release and input recipe, so a new one is simply not found. float16
keeps a vector in 1 KB (50,000 items: 50 MB) at a rounding error of about 1e-4 per value,
far below what moves a logistic model's probabilities.
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
    """The stored vectors (float32) of those items that have one under ``encoder``.

    The ids travel as one JSON array (``json_each``): no limit on how many, one statement.
    """
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
    """Store (or replace) one vector per item, in one transaction (all or none are kept)."""
    rows = [
        (int(item_id), encoder, np.asarray(vector, _DTYPE).tobytes())
        for item_id, vector in zip(item_ids, vectors, strict=True)
    ]
    with transaction(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO embeddings (item_id, encoder, vector) VALUES (?, ?, ?)", rows
        )
