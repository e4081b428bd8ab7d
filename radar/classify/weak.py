"""Weak labels for a cold start: what the mentioned technologies say about an item.

Pure. Before staff have tagged anything, an item's quadrant is the quadrant most of its
technologies sit in (or, naming none, the one most of its topic terms point to); it is
municipally relevant when it names a public-sector technology or a public-sector word; it
reads like a lasting standard when it uses adoption language (standards, GA releases,
procurement) and like a fad when it uses hype language. Staff tags always override these.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from radar.classify.tone import tone
from radar.classify.topic_terms import topic_votes
from radar.taxonomy.model import Taxonomy

TERM_CONFIDENCE = 0.5  # topic terms are a weaker cue than a named technology
_PUBLIC = re.compile(
    r"自治体|市役所|区役所|町役場|行政|市町村|都道府県|総務省|デジタル庁|住民|公共|官公庁|政府|"
    r"\b(municipal\w*|government|public sector|city hall|council|agency|ministry|citizens?)\b",
    re.IGNORECASE,
)


def weak_quadrant(
    techs: Iterable[str], taxonomy: Taxonomy, text: str = ""
) -> tuple[str | None, float]:
    """Majority quadrant of the mentioned techs and its share; else of the topic terms.

    A named technology is the stronger cue, so topic terms in ``text`` only speak when no
    technology is mentioned, with half the confidence, and not at all when tied. A tie
    between named technologies (a VR headset in a training course) is broken by the topic
    terms, or left to the models: never by the order the names were found in.
    """
    named = Counter(taxonomy.tech(t).quadrant for t in techs if t in taxonomy)
    if named:
        most = max(named.values())
        tied = [q for q, count in named.items() if count == most]
        if len(tied) > 1:
            votes = topic_votes(text, taxonomy.topic_terms)
            best_terms = max(votes[q] for q in tied)
            tied = [q for q in tied if votes[q] == best_terms] if best_terms else tied
        return (tied[0], most / named.total()) if len(tied) == 1 else (None, 0.0)
    votes = topic_votes(text, taxonomy.topic_terms)
    if not votes:
        return None, 0.0
    ranked = votes.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None, 0.0
    return ranked[0][0], TERM_CONFIDENCE * ranked[0][1] / votes.total()


def weak_relevance(techs: Iterable[str], text: str, taxonomy: Taxonomy) -> bool:
    """Relevant to municipal work when a public-sector tech or word appears."""
    if any(t in taxonomy and taxonomy.tech(t).municipal for t in techs):
        return True
    return bool(_PUBLIC.search(text))


def weak_staying(text: str) -> bool | None:
    """True for adoption wording, False for hype wording, None when neither (or both)."""
    verdict = tone(text)
    return None if verdict == 0 else verdict > 0
