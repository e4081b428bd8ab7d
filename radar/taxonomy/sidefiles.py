"""Where the staff files are, and reading the two that sit beside the taxonomy.

``topic_terms.yaml``: most real headlines name no taxonomy technology ("Android 14 beta
drops", "ランサムウェア被害"), so a word list per quadrant gives those items a weak quadrant
too. Terms obey the alias rules; names that are also ordinary words ("Windows", "Galaxy") are
listed under ``case_sensitive`` and keep their case. Read with the taxonomy.

``seed_examples.yaml``: a new office has few staff tags, and a store of developer news says
little about what matters to a municipality, so a few hundred Japanese and English headlines
under their quadrant, split into ``relevant`` and ``other``, train the relevance models,
weighted like staff tags. They are never held out (they are not news) and they do not train the
quadrant models: on validation tags that lowered quadrant macro-F1. Read only by training, so a
mistake there cannot stop fetching, scoring or the app.

A missing side file is no error (there is nothing to add); an unreadable one lists every
problem, naming the file and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from radar.taxonomy.model import Seed, Taxonomy, TaxonomyError, TopicTerms, alias_key, alias_problem

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "taxonomy.yaml"
TOPIC_TERMS_FILE = "topic_terms.yaml"
SEEDS_FILE = "seed_examples.yaml"
_CASE_KEY = "case_sensitive"  # the topic-terms file's list of terms that keep their case
_NONE = "none"  # the seed file's quadrant key for headlines that are not about technology
_GROUPS = {"relevant": True, "other": False}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def load_topic_terms(path: Path, quadrant_ids: tuple[str, ...]) -> TopicTerms:
    """Read and check a topic-terms file; a missing file means no terms (rules fall back)."""
    data = _read(path, "quadrant ids, each with a list of terms")
    if data is None:
        return TopicTerms()
    problems: list[str] = []
    owner: dict[str, str] = {}
    result = []
    exact = data.get(_CASE_KEY) or []
    if not isinstance(exact, list) or not all(isinstance(t, str) for t in exact):
        problems.append(f"{_CASE_KEY}: must be a list of terms")
        exact = []
    for quadrant, terms in data.items():
        if quadrant == _CASE_KEY:
            continue
        if quadrant not in quadrant_ids:
            problems.append(f"unknown quadrant {quadrant!r} (one of: {', '.join(quadrant_ids)})")
            continue
        if not isinstance(terms, list):
            problems.append(f"{quadrant}: must be a list of terms")
            continue
        kept = []
        for i, term in enumerate(terms):
            where = f"{quadrant}[{i}] {term!r}"
            problem = alias_problem(term) if isinstance(term, str) else "must be text"
            if problem:
                problems.append(f"{where} {problem}")
                continue
            if first := _repeated(owner, term, where):
                problems.append(f"{where} duplicates {first}")
                continue
            kept.append(term)
        result.append((str(quadrant), tuple(kept)))
    listed = {term for _, terms in result for term in terms}
    problems += [f"{_CASE_KEY}: {t!r} is not listed under a quadrant" for t in exact
                 if t not in listed]  # fmt: skip
    if problems:
        raise TaxonomyError([f"{path}: {p}" for p in problems])
    return TopicTerms(tuple(result), frozenset(exact))


def load_seed_examples(path: Path, quadrant_ids: tuple[str, ...]) -> tuple[Seed, ...]:
    """Read and check a seed file; a missing file means no seeds. Every problem is listed."""
    data = _read(path, "quadrant ids, each with relevant/other lists")
    if data is None:
        return ()
    problems: list[str] = []
    seen: dict[str, str] = {}
    seeds = []
    for quadrant, groups in data.items():
        if quadrant not in (*quadrant_ids, _NONE):
            problems.append(f"unknown quadrant {quadrant!r} (one of: {', '.join(quadrant_ids)},"
                            f" {_NONE})")  # fmt: skip
            continue
        if not isinstance(groups, Mapping) or not set(groups) <= set(_GROUPS):
            problems.append(f"{quadrant}: expected the lists 'relevant' and 'other'")
            continue
        for group, titles in groups.items():
            titles = [] if titles is None else titles  # a list staff emptied
            for i, title in enumerate(titles if isinstance(titles, list) else [None]):
                where = f"{quadrant}.{group}[{i}]"
                if not isinstance(title, str) or not title.strip():
                    problems.append(f"{where}: must be a headline (text)")
                    continue
                if first := _repeated(seen, title, where):
                    problems.append(f"{where} {title!r} repeats {first}")
                    continue
                lang = "ja" if _JAPANESE.search(title) else "en"
                seeds.append(Seed(title.strip(), lang, None if quadrant == _NONE else str(quadrant),
                                  _GROUPS[group]))  # fmt: skip
    if problems:
        raise TaxonomyError([f"{path}: {p}" for p in problems])
    return tuple(seeds)


def seeds_for(taxonomy: Taxonomy) -> tuple[Seed, ...]:
    """The seed examples beside ``taxonomy``'s file (training reads them; nothing else does)."""
    folder = (taxonomy.path or DEFAULT_TAXONOMY_PATH).parent
    return load_seed_examples(folder / SEEDS_FILE, tuple(q.id for q in taxonomy.quadrants))


def _read(path: Path, expected: str) -> Mapping[str, Any] | None:
    """A side file as a mapping; None when there is none, an error naming it when unreadable."""
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"{path}: expected {expected}")
    return data


def _repeated(seen: dict[str, str], text: str, where: str) -> str | None:
    """Where ``text`` (by alias key) was listed before, recording it at ``where`` if new.

    Staff files list spellings by hand; a repeat in another place is a mistake to report.
    """
    first = seen.setdefault(alias_key(text), where)
    return None if first == where else first
