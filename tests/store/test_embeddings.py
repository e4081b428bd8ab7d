"""Stored title embeddings: an item is embedded once, and its scores do not depend on the cache."""

from __future__ import annotations

import numpy as np

from radar.classify.meaning import ENCODER, embed
from radar.classify.train import Example, meaning_of, seed_examples
from radar.classify.vectors import meaning_key, stored_meaning
from radar.store.embeddings import as_stored, read_vectors, write_vectors
from radar.taxonomy.model import Seed


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
    assert set(read_vectors(db, ids[1:], ENCODER)) == {ids[1]}  # only the ids asked for
    assert read_vectors(db, [], ENCODER) == {}
    assert read_vectors(db, ids, "another-encoder") == {}
    write_vectors(db, ids[:1], vectors[2:], ENCODER)  # replaced, not duplicated
    assert db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 2
    assert np.array_equal(read_vectors(db, ids[:1], ENCODER)[ids[0]], as_stored(vectors)[2])


def test_stored_meaning_reads_what_it_has_embeds_the_rest_in_order(db) -> None:  # type: ignore[no-untyped-def]
    titles = ["生成AIの導入", "Kubernetes upgrade", "5G基地局", "窓口のキャッシュレス化"]
    ids = _items(db, len(titles))
    examples = [Example(i, t.lower(), "", "", None, None, False, title=t)
                for i, t in zip(ids, titles, strict=True)]  # fmt: skip
    seed = seed_examples([Seed("電子申請の受付開始", "ja", "services-work", True)])
    expected = as_stored(meaning_of([*examples, *seed]))  # USE's columns, then e5's
    key = meaning_key()
    write_vectors(db, [ids[2], ids[0]], expected[[2, 0]], key)  # some known already
    order = [3, 0, 4, 2, 1]  # shuffled, with the seed (index 4) in the middle
    asked = [[*examples, *seed][i] for i in order]
    peek = stored_meaning(db, keep=False)(asked)
    assert np.abs(peek - expected[order]).max() < 1e-3
    assert set(read_vectors(db, ids, key)) == {ids[0], ids[2]}  # keep=False wrote nothing
    got = stored_meaning(db)(asked)
    assert np.abs(got - expected[order]).max() < 1e-3
    assert set(read_vectors(db, ids, key)) == set(ids)  # items kept; the seed is no item
    assert db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == len(ids)
