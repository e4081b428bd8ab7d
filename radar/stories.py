"""Decide which items are one story: the single rule behind every insert, live or archive.

Pure (no SQL): the store reads a few stored candidates per item, and ``StoryGrouper`` assigns
a batch's items in order (a feed poll is a small batch). An item joins the story with its
canonical URL, else the closest headline (``title_distance``) among stories started within
``STORY_WINDOW``, always compared with the story's first headline so titles never chain into
one giant story. Sources per story are evidence of staying power, so a false merge costs more
than a missed one; candidates are the few latest sharing the headline, its opening or ending.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import pairwise

from rapidfuzz import process
from rapidfuzz.distance import Indel

STORY_WINDOW = timedelta(days=3)
MIN_TITLE_CHARS = 12
SIMILARITY = 0.9
MAX_EDITS = 6  # characters inserted or deleted
CANDIDATES = 20  # fuzzy candidates per lookup key: bounds the work per item
_KEY_CHARS = 10
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_APART = 3  # unchanged characters that must separate two changes


def normalise_title(title: str) -> str:
    """Fold width and case and drop punctuation and spaces, keeping kana and kanji intact."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", title).casefold())


def title_keys(norm: str) -> tuple[str, str]:
    """Head and tail of a normalised title: two cheap index keys for fuzzy candidates."""
    return norm[:_KEY_CHARS], norm[-_KEY_CHARS:]


def title_distance(a: str, b: str) -> int | None:
    """Characters apart if two normalised titles are the same story's headline, else None.

    A re-post adds or drops a few characters (an article, a plural, a site name); another
    article of a series ("Notes 4.1"/"4.2", "Grafana ships X"/"Jenkins ships X") replaces
    some. So numbers must match, few characters differ, and none is a replacement.
    """
    if len(a) < MIN_TITLE_CHARS or len(b) < MIN_TITLE_CHARS:
        return None
    if a == b:
        return 0
    budget = min(MAX_EDITS, int((len(a) + len(b)) * (1 - SIMILARITY)))
    if abs(len(a) - len(b)) > budget or _DIGITS.findall(a) != _DIGITS.findall(b):
        return None
    distance = Indel.distance(a, b, score_cutoff=budget)
    if distance > budget:
        return None
    ops = list(Indel.opcodes(a, b))
    changes = [i for i, op in enumerate(ops) if op.tag != "equal"]
    for i, j in pairwise(changes):
        if sum(op.src_end - op.src_start for op in ops[i + 1 : j]) < _APART:
            return None  # changes this close together are one replaced stretch
    return distance


@dataclass(slots=True)
class Story:
    """A story as a batch sees it: its stored state plus what the batch adds to it."""

    id: int
    url: str | None
    norm: str
    first: str  # ISO timestamps, which sort as text
    last: str
    is_new: bool = False
    added: int = 0
    feeds: set[str] = field(default_factory=set)  # the batch's feeds (counted for new ones)
    new_url: str | None = None  # set when the batch fills a missing canonical URL


@dataclass
class StoryGrouper:
    """Assign stories to a batch's items in order, each as if inserted alone after the rest.

    Stories known so far (stored candidates, and those the batch made) are kept by URL and,
    the latest ``CANDIDATES`` of each, by headline, opening and ending.
    """

    next_id: int
    stories: dict[int, Story] = field(default_factory=dict)
    _by_url: dict[str, Story] = field(default_factory=dict)
    _by_key: dict[str, deque[Story]] = field(default_factory=dict)

    def know(self, story: Story) -> Story:
        """Remember a story (stored or made by the batch); return the one object kept for its id."""
        known = self.stories.get(story.id)
        if known is not None:
            return known
        self.stories[story.id] = story
        if story.url:
            self._by_url.setdefault(story.url, story)
        if len(story.norm) >= MIN_TITLE_CHARS:
            for key in _keys(story.norm):
                self._by_key.setdefault(key, deque(maxlen=CANDIDATES)).append(story)
        return story

    def _match(
        self, url: str, norm: str, low: str, high: str, stored: Iterable[Story]
    ) -> Story | None:
        candidates = {s.id: s for s in (self.know(s) for s in stored)}
        if url and url in self._by_url:
            return self._by_url[url]
        if len(norm) < MIN_TITLE_CHARS:
            return None
        for key in _keys(norm):
            candidates.update((s.id, s) for s in self._by_key.get(key, ()))
        pool = [s for s in candidates.values() if low <= s.first <= high]
        # One C loop for the edit distance; the full rule only for the few close enough.
        close = process.extract(
            norm, [s.norm for s in pool], scorer=Indel.distance, score_cutoff=MAX_EDITS, limit=None
        )
        matches = [
            (distance, pool[i].id, pool[i])
            for _, _, i in close
            if (distance := title_distance(norm, pool[i].norm)) is not None
        ]
        return min(matches, key=lambda match: match[:2])[2] if matches else None

    def assign(
        self,
        feed_id: str,
        url: str,
        norm: str,
        published: str,
        window: tuple[str, str],
        stored: Iterable[Story] = (),
    ) -> Story:
        """Return the story this item joins (or starts), updating its dates and counts."""
        story = self._match(url, norm, *window, stored)
        if story is None:
            story = self.know(Story(self.next_id, url or None, norm, published, published, True))
            self.next_id += 1
        else:
            story.first = min(story.first, published)
            story.last = max(story.last, published)
            if url and story.url is None:
                story.url = story.new_url = url
                self._by_url.setdefault(url, story)
        story.added += 1
        story.feeds.add(feed_id)
        return story


def _keys(norm: str) -> tuple[str, str, str]:
    head, tail = title_keys(norm)
    return "n" + norm, "h" + head, "t" + tail
