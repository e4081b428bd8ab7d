"""Topic terms: general words that point to a quadrant when no technology is named.

Most real headlines name no taxonomy technology ("Android 14 beta drops", "ランサムウェア
被害"), so the weak rules had nothing to say about them and the cold-start model learnt little.
A staff-editable word list per quadrant (``topic_terms.yaml`` beside the taxonomy) gives
those items a weak quadrant too. Matching reuses the taxonomy's alias rules; names that are
also ordinary words ("Windows", "Galaxy") are listed under ``case_sensitive`` and keep their case.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from radar.classify.mentions import MentionMatcher
from radar.classify.taxonomy import (
    TaxonomyError,
    Tech,
    TopicTerms,
    alias_problem,
    read_side_file,
    repeated,
)

FILE_NAME = "topic_terms.yaml"
CASE_KEY = "case_sensitive"  # the file's list of terms that keep their case


def load_topic_terms(path: Path, quadrant_ids: tuple[str, ...]) -> TopicTerms:
    """Read and check a topic-terms file; a missing file means no terms (rules fall back)."""
    data = read_side_file(path, "quadrant ids, each with a list of terms")
    if data is None:
        return TopicTerms()
    problems: list[str] = []
    owner: dict[str, str] = {}
    result = []
    exact = data.get(CASE_KEY) or []
    if not isinstance(exact, list) or not all(isinstance(t, str) for t in exact):
        problems.append(f"{CASE_KEY}: must be a list of terms")
        exact = []
    for quadrant, terms in data.items():
        if quadrant == CASE_KEY:
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
            if first := repeated(owner, term, where):
                problems.append(f"{where} duplicates {first}")
                continue
            kept.append(term)
        result.append((str(quadrant), tuple(kept)))
    listed = {term for _, terms in result for term in terms}
    problems += [f"{CASE_KEY}: {t!r} is not listed under a quadrant" for t in exact
                 if t not in listed]  # fmt: skip
    if problems:
        raise TaxonomyError([f"{path}: {p}" for p in problems])
    return TopicTerms(tuple(result), frozenset(exact))


def build_matcher(terms: TopicTerms) -> MentionMatcher:
    """One pseudo-technology per term, so the taxonomy's matching rules apply unchanged."""
    return MentionMatcher(
        (Tech(f"{quadrant}/{i}", term, term, quadrant, (term,),
              case_sensitive=(term,) if term in terms.case_sensitive else ())
         for quadrant, words in terms.by_quadrant for i, term in enumerate(words)),
        exclude=terms.shadows,
    )  # fmt: skip


def topic_votes(text: str, terms: TopicTerms) -> Counter[str]:
    """How many distinct topic terms of each quadrant ``text`` contains."""
    if not terms.by_quadrant or not text:
        return Counter()
    return Counter(found.split("/", 1)[0] for found in terms.matcher.find(text))


def topic_mentions(text: str, terms: TopicTerms) -> list[dict[str, str]]:
    """Each topic term found in ``text`` (as written there) with its quadrant, for explanations."""
    if not terms.by_quadrant or not text:
        return []
    found = terms.matcher.find_mentions(text)
    return [
        {"term": text, "quadrant": quadrant}
        for text, quadrant in dict.fromkeys((m.text, m.tech_id.split("/", 1)[0]) for m in found)
    ]
