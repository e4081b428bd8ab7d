"""Topic terms in text: general words that point to a quadrant when no technology is named.

The word lists come from ``topic_terms.yaml`` (read with the taxonomy, radar.taxonomy.sidefiles).
Matching reuses the taxonomy's alias rules unchanged, one pseudo-technology per term.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from radar.classify.mentions import MentionMatcher
from radar.taxonomy.model import Tech, TopicTerms


@lru_cache(maxsize=4)  # one per loaded file: it is asked once per headline
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
    return Counter(found.split("/", 1)[0] for found in build_matcher(terms).find(text))


def topic_mentions(text: str, terms: TopicTerms) -> list[dict[str, str]]:
    """Each topic term found in ``text`` (as written there) with its quadrant, for explanations."""
    if not terms.by_quadrant or not text:
        return []
    found = build_matcher(terms).find_mentions(text)
    return [
        {"term": text, "quadrant": quadrant}
        for text, quadrant in dict.fromkeys((m.text, m.tech_id.split("/", 1)[0]) for m in found)
    ]
