"""Japanese words for the text models: a morphological analyser beside the character n-grams.

Why: character 2-3-grams read unspaced Japanese without a dictionary, but they cut words
at random (手続, 続き, き窓) and weigh those pieces like words; whole words (手続き, 窓口,
転入) and word pairs (マイ+ナンバー) are cleaner evidence of a topic. fugashi (MeCab) with
unidic-lite ships its dictionary in its wheel, so nothing is downloaded at run time.
Measured, it did not clearly help (``radar.classify.topic.JAPANESE_WORDS`` says by how much),
so it is off and the two packages are only in the ``bench`` extra.

Only stretches with Japanese characters give words here: English words already have their
own features. Particles, auxiliaries, symbols and spaces are dropped. Each title yields its
words and each pair of neighbouring words.
"""

from __future__ import annotations

import itertools
import re
import threading
from typing import Any

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_SKIPPED = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号"})
_lock = threading.Lock()
_taggers: list[Any] = []


def _tagger() -> Any:  # fugashi ships no type hints for Tagger's results
    if not _taggers:
        import fugashi  # optional (the `bench` extra): read only when the features are on

        _taggers.append(fugashi.Tagger())
    return _taggers[0]


def japanese_words(text: str) -> list[str]:
    """Content words of the Japanese in ``text`` and neighbouring pairs ("w1 w2"); pure."""
    if not _JAPANESE.search(text):
        return []
    with _lock:  # a MeCab tagger is not safe to share between threads
        words = [
            (
                word.surface,
                word.feature.pos1 not in _SKIPPED and bool(_JAPANESE.search(word.surface)),
            )
            for word in _tagger()(text)
        ]
    kept = [surface for surface, content in words if content]
    pairs = [f"{a} {b}" for (a, ka), (b, kb) in itertools.pairwise(words) if ka and kb]
    return kept + pairs
