"""Decide when two headlines from different feeds are the same story.

Pure functions: the store asks for a headline's normalised form and lookup keys, and
compares candidates with ``same_story``. The number of independent sources per story is
later evidence of staying power, so grouping errs on the side of exact matches.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from difflib import SequenceMatcher

STORY_WINDOW = timedelta(days=3)
MIN_TITLE_CHARS = 12
SIMILARITY = 0.9
_KEY_CHARS = 10
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_title(title: str) -> str:
    """Fold width and case and drop punctuation and spaces, keeping kana and kanji intact."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", title).casefold())


def title_keys(norm: str) -> tuple[str, str]:
    """Head and tail of a normalised title: two cheap index keys for fuzzy candidates."""
    return norm[:_KEY_CHARS], norm[-_KEY_CHARS:]


def same_story(a: str, b: str) -> bool:
    """Say whether two normalised titles are near-identical (a re-post, not a new story)."""
    if len(a) < MIN_TITLE_CHARS or len(b) < MIN_TITLE_CHARS:
        return False
    if a == b:
        return True
    if abs(len(a) - len(b)) > max(len(a), len(b)) * (1 - SIMILARITY):
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # The cheap upper bounds reject most candidates before the quadratic ratio is computed.
    return (
        matcher.real_quick_ratio() >= SIMILARITY
        and matcher.quick_ratio() >= SIMILARITY
        and matcher.ratio() >= SIMILARITY
    )
