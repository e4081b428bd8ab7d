"""Show feed text as text: escape it for Markdown, keep only web links.

Feed titles, summaries, source names and staff comments never reach ``unsafe_allow_html``.
Where Markdown is needed (a caption, a button label) every ASCII punctuation character is
backslash-escaped, which CommonMark turns back into the plain character, so ``<script>``,
``<img onerror=...>``, links, emphasis and LaTeX (``$``) all show literally.
"""

from __future__ import annotations

import re
import string

from radar.urls import web_url

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def md(text: object) -> str:
    """Escape text for st.markdown / st.caption / labels so it shows exactly as written."""
    plain = " ".join(str(text).split())  # newlines would start Markdown blocks
    return _PUNCTUATION.sub(r"\\\1", plain)


def web_link(url: object) -> str | None:
    """The URL if it may be a link (the store's one rule, ``urls.web_url``), else None."""
    return (web_url(url) or None) if isinstance(url, str) else None
