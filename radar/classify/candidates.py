"""Spot terms bursting in recent items that the taxonomy does not know yet.

Pure. A candidate is a product-like term (a capitalised or alphanumeric English token, an
ASCII name inside Japanese text, or a katakana word of 3+ characters) whose share of recent
items is several times its share in the weeks before, mentioned by enough items to matter.
Staff promote a candidate to the taxonomy with one command.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MIN_RECENT = 3
MIN_LIFT = 3.0
_ENGLISH = re.compile(
    r"\b(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9.+-]*|[A-Z][a-z]{2,}[A-Za-z0-9]*)\b"
)
_ASCII_IN_JA = re.compile(r"[A-Za-z][A-Za-z0-9.+-]{2,}")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]{3,}")
_COMMON = frozenset(
    """The This That These Those What Why How When Where Who New First Best Top More Most
    Show Ask Launch Launches Now Today Week Year Years Report Says Said Will Can Could Should
    Using Use Your Our Their With From About After Before Over Into Inc Ltd Corp Co Mr Ms
    Japan Japanese Tokyo China US UK EU Google Apple Microsoft Amazon Meta Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December HN PDF API CEO CTO AI IT
    サービス システム データ ニュース プラットフォーム ソリューション テクノロジー デジタル
    クラウド セキュリティ ネットワーク ユーザー アプリ ソフトウェア インターネット ビジネス
    プロジェクト サポート センター コンテンツ ポイント イベント セミナー レポート""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class CandidateTerm:
    """A term rising in recent items, with its counts."""

    term: str
    recent: int
    before: int
    lift: float


def terms_of(text: str) -> set[str]:
    """Product-like terms of one headline (each counted once per item)."""
    text = unicodedata.normalize("NFKC", text)
    found = set(_ENGLISH.findall(text)) | set(_KATAKANA.findall(text))
    if _KATAKANA.search(text) or re.search(r"[\u3040-\u309f\u4e00-\u9fff]", text):
        found |= set(_ASCII_IN_JA.findall(text))
    return {term.strip(".-+") for term in found if term not in _COMMON and len(term) >= 3}


def bursting_terms(
    recent: Iterable[str],
    before: Iterable[str],
    known: Callable[[str], list[str]],
    top: int = 20,
) -> list[CandidateTerm]:
    """Rank terms by how much more often recent items use them than earlier items did."""
    recent_texts, before_texts = list(recent), list(before)
    if not recent_texts:
        return []
    now = Counter(t for text in recent_texts for t in terms_of(text))
    then = Counter(t for text in before_texts for t in terms_of(text))
    n_now, n_then = len(recent_texts), max(len(before_texts), 1)
    found = []
    for term, count in now.items():
        if count < MIN_RECENT or known(term):
            continue
        lift = (count / n_now) / ((then[term] + 1) / (n_then + 1))
        if lift >= MIN_LIFT:
            found.append(CandidateTerm(term, count, then[term], round(lift, 1)))
    found.sort(key=lambda c: (-c.lift * c.recent, c.term))
    return found[:top]
