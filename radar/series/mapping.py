"""Which technology a series term names: by the technology's ``series:`` block, its id or aliases.

Only exact names count (after folding case, and treating ``-`` and ``_`` as spaces, since tags
spell "machine-learning"); a term that names no technology is reported as unmapped, never
matched by similarity, so a chart never shows a stranger's numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from radar.series.sources import source_info
from radar.taxonomy.model import Taxonomy

_SEPARATORS = re.compile(r"[\s_\-]+")


def term_key(term: str) -> str:
    """The form two spellings of one name share: ``Machine-Learning`` is ``machine learning``."""
    return _SEPARATORS.sub(" ", term.casefold()).strip()


@dataclass(frozen=True)
class TermMap:
    """The outcome of mapping stored terms: who each names, and what named nobody."""

    linked: dict[str, tuple[tuple[str, str], ...]]  # tech id -> (source, term) pairs
    unmapped: tuple[tuple[str, str], ...]

    def pairs_for(self, tech_id: str) -> tuple[tuple[str, str], ...]:
        return self.linked.get(tech_id, ())


@dataclass(frozen=True)
class _Index:
    by_series: dict[tuple[str, str], set[str]]  # (series key, term key) -> ids from blocks
    by_name: dict[str, set[str]]  # name key -> ids from ids and aliases
    declared: dict[str, set[str]]  # tech id -> the series keys its block names


def _index(taxonomy: Taxonomy) -> _Index:
    index = _Index({}, {}, {})
    for tech in taxonomy.techs:
        for key, terms in tech.series:
            index.declared.setdefault(tech.id, set()).add(key)
            for term in terms:
                index.by_series.setdefault((key, term_key(term)), set()).add(tech.id)
        for name in (tech.id, *tech.aliases):
            index.by_name.setdefault(term_key(name), set()).add(tech.id)
    return index


def map_terms(taxonomy: Taxonomy, pairs: Iterable[tuple[str, str]]) -> TermMap:
    """Map each (source, term) to the technologies it names.

    A technology's ``series:`` block wins for its source's key: when any technology names a
    term explicitly for that key, ids and aliases are not consulted for that term, so a block
    can settle a name two technologies share. Otherwise the id or an alias must match, except
    for a technology whose block lists that key: its list is complete (``[]`` for none), so
    the LINE app's alias "LINE" does not claim Stack Overflow's ``line`` tag (lines in plots).
    """
    index = _index(taxonomy)
    linked: dict[str, list[tuple[str, str]]] = {}
    unmapped: list[tuple[str, str]] = []
    for source, term in pairs:
        info = source_info(source)
        key = term_key(term)
        ids = index.by_series.get((info.key, key)) if info else None
        if not ids:
            ids = {
                tech_id
                for tech_id in index.by_name.get(key, ())
                if info is None or info.key not in index.declared.get(tech_id, ())
            }
        if not ids:
            unmapped.append((source, term))
        for tech_id in sorted(ids):
            linked.setdefault(tech_id, []).append((source, term))
    return TermMap({k: tuple(v) for k, v in linked.items()}, tuple(unmapped))
