"""Tie stored items to the technologies they mention, re-linking when the taxonomy changes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlite_utils

from radar.classify.mentions import MentionMatcher
from radar.classify.tone import TONE_VERSION, tone
from radar.store.mentions import link_items, pending_links
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import Taxonomy


def taxonomy_fingerprint(taxonomy: Taxonomy) -> str:
    """A short hash of everything that affects linking; a change re-links all items."""
    return hashlib.sha1(f"{taxonomy!r}|tone{TONE_VERSION}".encode()).hexdigest()[:16]


def link_store(
    db: sqlite_utils.Database,
    taxonomy: Taxonomy | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Link every item not yet linked with this taxonomy; return how many were linked."""
    taxonomy = taxonomy or load_taxonomy()
    key = taxonomy_fingerprint(taxonomy)
    total = pending_links(db, key)
    if not total:
        return 0
    matcher = MentionMatcher.from_taxonomy(taxonomy)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    return link_items(db, matcher.find, key, step, tone=tone)
