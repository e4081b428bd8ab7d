"""Prepare item text for the models: NFKC and lower case, never accent stripping.

Accent stripping would turn ガバメント into カハメント, so it is never used; NFKC folds full-width
and half-width forms, which is all Japanese needs.
"""

from __future__ import annotations

import unicodedata


def model_text(title: str, summary: str = "", summary_chars: int = 300) -> str:
    """The text a model reads: the headline, then the start of the summary."""
    return unicodedata.normalize("NFKC", f"{title} {summary[:summary_chars]}").lower()


def rule_text(title: str, summary: str = "", summary_chars: int = 400) -> str:
    """The text the rules read: like the mention matcher, case kept (names such as "Windows")."""
    return f"{title}\n{summary[:summary_chars]}"
