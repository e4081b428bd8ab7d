"""Title embeddings through the store: embed an item once, read its vector after that.

Embedding is most of the cost of scoring (about 0.8 ms of 0.9 ms an item), and every
promoted model re-scores the whole store and retrains on up to 50,000 items, so without this
each retrain embedded the same titles again. This is the side-effect edge around the pure
``meaning_of``; the models never know where their vectors came from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlite_utils

from radar.classify import encoders
from radar.classify.meaning import vector_key
from radar.classify.train import RELEVANCE_ENCODER, Example, Meaning, meaning_dim, meaning_of
from radar.store.embeddings import as_stored, read_vectors, write_vectors


def meaning_key(relevance_encoder: str = RELEVANCE_ENCODER) -> str:
    """The key ``meaning_of``'s rows are stored under: USE's, plus e5's when relevance reads it
    (one stored row holds both encoders' columns; either release changing embeds afresh)."""
    if relevance_encoder == encoders.E5:
        return f"{vector_key()}+{encoders.e5_key()}"
    return vector_key()


def stored_meaning(
    db: sqlite_utils.Database, relevance_encoder: str = RELEVANCE_ENCODER, *, keep: bool = True
) -> Meaning:
    """``meaning_of`` that reads stored item vectors and embeds only the rest.

    ``relevance_encoder``: the one the model at hand reads (``Models.relevance_encoder``), or
    the setting's when training, so a USE-only model never pays for e5. ``keep``: store the
    new vectors (not from a read-only caller such as the explain page). Seed examples are not
    items, so theirs are never stored. New vectors are rounded to the stored precision, so an
    item scores the same (to about 1e-4) whether it was cached.
    """
    key, width = meaning_key(relevance_encoder), meaning_dim(relevance_encoder)

    def meaning(examples: Sequence[Example]) -> np.ndarray:
        items = [i for i, e in enumerate(examples) if not e.seed]
        known = read_vectors(db, [examples[i].item_id for i in items], key)
        vectors = np.zeros((len(examples), width), np.float32)
        missing = []
        for i, example in enumerate(examples):
            stored = None if example.seed else known.get(example.item_id)
            if stored is None:
                missing.append(i)
            else:
                vectors[i] = stored
        fresh = as_stored(meaning_of([examples[i] for i in missing], relevance_encoder))
        vectors[missing] = fresh
        new = [n for n, i in enumerate(missing) if not examples[i].seed]
        if keep and new:
            write_vectors(db, [examples[missing[n]].item_id for n in new], fresh[new], key)
        return vectors

    return meaning
