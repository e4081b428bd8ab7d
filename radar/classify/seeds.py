"""Seed examples: headlines the team wrote, with labels, that every training run learns from.

A new office has few staff tags, and a store of developer news says little about what matters
to a municipality, so the relevance models had almost no positive examples to learn from.
``seed_examples.yaml`` (beside the taxonomy, staff-editable) holds a few hundred Japanese and
English headlines under their quadrant, split into ``relevant`` and ``other``. They train the
relevance models, weighted like staff tags. They are never held out (they are not news) and
they do not train the quadrant models: on validation tags that lowered quadrant macro-F1.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from radar.classify.taxonomy import (
    DEFAULT_TAXONOMY_PATH,
    Seed,
    Taxonomy,
    TaxonomyError,
    read_side_file,
    repeated,
)

FILE_NAME = "seed_examples.yaml"
NONE = "none"  # the quadrant key for headlines that are not about technology
GROUPS = {"relevant": True, "other": False}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def load_seed_examples(path: Path, quadrant_ids: tuple[str, ...]) -> tuple[Seed, ...]:
    """Read and check a seed file; a missing file means no seeds. Every problem is listed."""
    data = read_side_file(path, "quadrant ids, each with relevant/other lists")
    if data is None:
        return ()
    problems: list[str] = []
    seen: dict[str, str] = {}
    seeds = []
    for quadrant, groups in data.items():
        if quadrant not in (*quadrant_ids, NONE):
            problems.append(f"unknown quadrant {quadrant!r} (one of: {', '.join(quadrant_ids)},"
                            f" {NONE})")  # fmt: skip
            continue
        if not isinstance(groups, Mapping) or not set(groups) <= set(GROUPS):
            problems.append(f"{quadrant}: expected the lists 'relevant' and 'other'")
            continue
        for group, titles in groups.items():
            titles = [] if titles is None else titles  # a list staff emptied
            for i, title in enumerate(titles if isinstance(titles, list) else [None]):
                where = f"{quadrant}.{group}[{i}]"
                if not isinstance(title, str) or not title.strip():
                    problems.append(f"{where}: must be a headline (text)")
                    continue
                if first := repeated(seen, title, where):
                    problems.append(f"{where} {title!r} repeats {first}")
                    continue
                lang = "ja" if _JAPANESE.search(title) else "en"
                seeds.append(Seed(title.strip(), lang, None if quadrant == NONE else str(quadrant),
                                  GROUPS[group]))  # fmt: skip
    if problems:
        raise TaxonomyError([f"{path}: {p}" for p in problems])
    return tuple(seeds)


def seeds_for(taxonomy: Taxonomy) -> tuple[Seed, ...]:
    """The seed examples beside ``taxonomy``'s file (training reads them; nothing else does)."""
    folder = (taxonomy.path or DEFAULT_TAXONOMY_PATH).parent
    return load_seed_examples(folder / FILE_NAME, tuple(q.id for q in taxonomy.quadrants))
