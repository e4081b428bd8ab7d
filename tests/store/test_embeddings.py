"""Stored title embeddings: an item is embedded once, and its scores do not depend on the cache."""

from __future__ import annotations

import numpy as np

from radar.classify.meaning import ENCODER, embed
from radar.store.embeddings import as_stored, read_vectors, write_vectors


def _items(db, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at) VALUES ('f','F','u','u','t')"
    )
    for i in range(n):
        db.execute(
            "INSERT INTO items (feed_id, key, link, canonical_url, title, published_at, fetched_at,"
            " lang) VALUES ('f', ?, '', '', ?, 't', 't', 'en')",
            [f"k{i}", f"title {i}"],
        )
    return [row[0] for row in db.execute("SELECT id FROM items ORDER BY id")]


def test_vectors_round_trip_at_stored_precision_per_encoder(db) -> None:  # type: ignore[no-untyped-def]
    ids = _items(db, 3)
    vectors = embed(["生成AIの導入", "Kubernetes upgrade", "5G基地局"])
    write_vectors(db, ids[:2], vectors[:2], ENCODER)
    back = read_vectors(db, ids, ENCODER)
    assert set(back) == set(ids[:2])  # the third was never stored
    assert np.array_equal(back[ids[0]], as_stored(vectors)[0])
    assert np.abs(back[ids[1]] - vectors[1]).max() < 1e-3
    assert read_vectors(db, ids, "another-encoder") == {}
    write_vectors(db, ids[:1], vectors[2:], ENCODER)  # replaced, not duplicated
    assert db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 2
    assert np.array_equal(read_vectors(db, ids[:1], ENCODER)[ids[0]], as_stored(vectors)[2])
