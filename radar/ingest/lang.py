"""Detect the language of a headline cheaply enough for millions of items.

Japanese and English are what the office reads, so the rules are written for them: any kana
means Japanese; Han characters without kana are Japanese only when the feed says so (else
Chinese); Hangul, Cyrillic, and a few Latin-script languages are told apart by script and by
common function words. Headlines are short, so a statistical model would not do much better.
"""

from __future__ import annotations

import re

_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[a-zà-öø-ÿ]+")

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "for",
            "on",
            "with",
            "a",
            "an",
            "that",
            "this",
            "are",
            "by",
            "from",
            "at",
            "as",
            "be",
            "it",
            "its",
            "how",
            "why",
            "what",
            "new",
            "you",
            "your",
            "we",
            "our",
            "will",
            "can",
            "has",
            "have",
            "not",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "mit",
            "von",
            "für",
            "auf",
            "ein",
            "eine",
            "zu",
            "im",
            "den",
            "dem",
            "des",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "est",
            "une",
            "un",
            "pour",
            "dans",
            "du",
            "sur",
            "par",
            "avec",
            "qui",
            "que",
            "au",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "es",
            "una",
            "un",
            "para",
            "en",
            "del",
            "por",
            "con",
            "que",
            "se",
            "al",
            "como",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "e",
            "é",
            "um",
            "uma",
            "para",
            "em",
            "do",
            "da",
            "dos",
            "das",
            "com",
            "que",
            "não",
            "no",
            "na",
        ]
    ),
}


def detect_language(text: str, hint: str | None = None) -> str:
    """Return an ISO 639-1 code for ``text``; ``hint`` is the feed's declared language."""
    if _KANA.search(text):
        return "ja"
    if _HAN.search(text):
        return "ja" if (hint or "").startswith("ja") else "zh"
    if _HANGUL.search(text):
        return "ko"
    if _CYRILLIC.search(text):
        return "ru"
    words = _WORD.findall(text.lower())
    if not words:
        return (hint or "en")[:2]
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] == 0:
        return (hint or "en")[:2]
    return best
