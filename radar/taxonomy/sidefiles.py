"""Where the staff files are, and reading the two that sit beside the taxonomy.

``topic_terms.yaml``: most real headlines name no taxonomy technology ("Android 14 beta
drops", "ランサムウェア被害"), so a word list per quadrant gives those items a weak quadrant
too. Terms obey the alias rules; names that are also ordinary words ("Windows", "Galaxy") are
listed under ``case_sensitive`` and keep their case. Read with the taxonomy.

``seed_examples.yaml``: a new office has few staff tags, and a store of developer news says
little about what matters to a municipality, so a few hundred Japanese and English headlines
under their quadrant, split into ``relevant`` and ``other``, train the relevance models,
weighted like staff tags. They are never held out (they are not news); they teach the
sentence-meaning quadrant model, each like one weak label, but not the word-feature one (that
lowered quadrant macro-F1 on validation tags; ``classify.train.SEED_MEANING_WEIGHT``). Read
only by training, so a
mistake there cannot stop fetching, scoring or the app.

Which file applies (:func:`side_file`): one configured in the settings, else one beside the
configured taxonomy, else the shipped one. A taxonomy kept elsewhere used to lose both files
without a word (the rules' quadrant F1 fell from 0.72 to 0.46); now it falls back to the shipped
lists, and a configured file that does not exist is a logged warning. Staff additions
(``staff/`` beside the store, :mod:`radar.taxonomy.layers`) go on top of whichever applies.

A missing side file is no error (there is nothing to add); an unreadable one lists every
problem, naming the file and the entry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from radar.taxonomy.model import Seed, Taxonomy, TaxonomyError, TopicTerms, alias_key, alias_problem

# The shipped defaults live inside the package, so a wheel carries them (package-data).
SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"  # never written
DEFAULT_TAXONOMY_PATH = SHIPPED_DIR / "taxonomy.yaml"
TOPIC_TERMS_FILE = "topic_terms.yaml"
SEEDS_FILE = "seed_examples.yaml"
log = logging.getLogger("radar.taxonomy")
_CASE_KEY = "case_sensitive"  # the topic-terms file's list of terms that keep their case
_NONE = "none"  # the seed file's quadrant key for headlines that are not about technology
_GROUPS = {"relevant": True, "other": False}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def side_file(name: str, taxonomy_path: Path | None, configured: Path | None = None) -> Path:
    """The side file ``name`` that applies: configured, else beside the taxonomy, else shipped.

    A configured path that does not exist is logged (once) and skipped, so a typo in the
    settings shows instead of silently weakening the classifier.
    """
    if configured is not None and Path(configured).is_file():
        return Path(configured)
    beside = None if taxonomy_path is None else Path(taxonomy_path).parent / name
    found = beside if beside is not None and beside.is_file() else SHIPPED_DIR / name
    if configured is not None:
        warn_once(f"{configured}: configured {name} does not exist; using {found}")
    return found


@cache
def warn_once(message: str) -> None:
    """Log a warning about the staff files once per process (they are read many times)."""
    log.warning(message)


def load_topic_terms(
    path: Path, quadrant_ids: tuple[str, ...], *, known_only: bool = False
) -> TopicTerms:
    """Read and check a topic-terms file; a missing file means no terms (rules fall back).

    ``known_only`` skips quadrants the taxonomy lacks instead of reporting them: the shipped
    file under a staff taxonomy with quadrants of its own.
    """
    data = _read(path, "quadrant ids, each with a list of terms")
    if data is None:
        return TopicTerms()
    if known_only:
        data = _known_quadrants(data, quadrant_ids, path)
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


def load_seed_examples(
    path: Path, quadrant_ids: tuple[str, ...], *, known_only: bool = False
) -> tuple[Seed, ...]:
    """Read and check a seed file; a missing file means no seeds. Every problem is listed.

    ``known_only`` skips quadrants the taxonomy lacks, as for :func:`load_topic_terms`.
    """
    data = _read(path, "quadrant ids, each with relevant/other lists")
    if data is None:
        return ()
    if known_only:
        data = _known_quadrants(data, (*quadrant_ids, _NONE), path)
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
    """The seed examples of ``taxonomy``'s layers (training reads them; nothing else does).

    The files are read lowest layer first; a later file's headline replaces an earlier one
    with the same text (staff moving a shipped example to ``other``).
    """
    files = taxonomy.seed_files or (side_file(SEEDS_FILE, taxonomy.path),)
    quadrant_ids = tuple(q.id for q in taxonomy.quadrants)
    return merge_seeds(
        load_seed_examples(path, quadrant_ids, known_only=foreign(path, taxonomy.path))
        for path in files
    )


def merge_seeds(layers: Iterable[tuple[Seed, ...]]) -> tuple[Seed, ...]:
    """Seeds of several files, lowest first; a later headline (by alias key) replaces one."""
    merged: dict[str, Seed] = {}
    for seeds in layers:
        for seed in seeds:
            merged.pop(alias_key(seed.title), None)
            merged[alias_key(seed.title)] = seed
    return tuple(merged.values())


def merge_topic_terms(lower: TopicTerms, upper: TopicTerms) -> TopicTerms:
    """Staff terms over shipped ones: a term (by alias key) listed in ``upper`` moves there."""
    moved = {alias_key(term) for _, terms in upper.by_quadrant for term in terms}
    upper_terms = dict(upper.by_quadrant)
    quadrants = [q for q, _ in lower.by_quadrant] + [
        q for q, _ in upper.by_quadrant if q not in dict(lower.by_quadrant)
    ]
    by_quadrant = tuple(
        (q, tuple(t for t in dict(lower.by_quadrant).get(q, ()) if alias_key(t) not in moved)
         + upper_terms.get(q, ()))
        for q in quadrants
    )  # fmt: skip
    return TopicTerms(by_quadrant, lower.case_sensitive | upper.case_sensitive)


def is_shipped(path: Path) -> bool:
    """Whether ``path`` is one of the shipped files (read-only defaults)."""
    return Path(path).resolve().parent == SHIPPED_DIR


def foreign(path: Path, taxonomy_path: Path | None) -> bool:
    """Whether ``path`` is a shipped side file read under a taxonomy that is not shipped."""
    return is_shipped(path) and taxonomy_path is not None and not is_shipped(taxonomy_path)


def _known_quadrants(
    data: Mapping[str, Any], allowed: tuple[str, ...], path: Path
) -> Mapping[str, Any]:
    """``data`` without the quadrants a staff taxonomy lacks (logged once)."""
    skipped = [str(q) for q in data if q not in (*allowed, _CASE_KEY)]
    if skipped:
        warn_once(f"{path}: skipped quadrants the taxonomy lacks: {', '.join(skipped)}")
    kept = {q: v for q, v in data.items() if q not in skipped}
    if _CASE_KEY in kept and isinstance(kept[_CASE_KEY], list):
        listed = {t for q, terms in kept.items() if q != _CASE_KEY and isinstance(terms, list)
                  for t in terms}  # fmt: skip
        kept[_CASE_KEY] = [t for t in kept[_CASE_KEY] if t in listed]
    return kept


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
