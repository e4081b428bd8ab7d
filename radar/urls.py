"""Canonicalise URLs so the same article is recognised across feeds and re-fetches.

Links come from feeds, so every function here is total: a URL that cannot be read (port out
of range, broken IPv6 brackets, a script scheme) gives ``""`` (no link), never an exception.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

WEB_SCHEMES = frozenset({"http", "https"})
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING_NAMES = frozenset({
    "fbclid", "gclid", "dclid", "yclid", "msclkid", "igshid", "_ga", "_gl", "ref_src", "ref_url",
    "cmpid", "ncid", "spm", "oly_enc_id", "oly_anon_id", "vero_id", "wt.mc_id", "at_medium",
    "at_campaign",
})  # fmt: skip
_QUERY_MARKERS = (*_TRACKING_PREFIXES, *_TRACKING_NAMES)


def is_tracking_param(name: str) -> bool:
    """Say whether a query parameter only tracks the reader (safe to drop)."""
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def web_url(url: str | None) -> str:
    """The URL if it is a readable http(s) address with a host, else ``""``.

    The one rule for what may become a link (stored, shown, mailed): ``javascript:``,
    ``data:``, ``vbscript:`` and every other scheme are refused, as are URLs whose port or
    host cannot be parsed and URLs holding control characters (a browser drops some of them,
    so ``java\nscript:`` would read differently there). The URL is otherwise kept as written:
    item keys are made from it, and every page escapes it where it is shown.
    """
    if not url:
        return ""
    url = url.strip()
    if _CONTROL_CHARS.search(url):
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when the port is out of range
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return url


def strip_tracking(url: str) -> str:
    """Remove utm_* and similar parameters, keeping every other parameter in order."""
    lowered = url.lower()
    # Most links carry no tracking: one look at the whole text (path included, so a false
    # alarm only costs the exact check below) spares splitting every link.
    if "?" not in url or not any(marker in lowered for marker in _QUERY_MARKERS):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    kept = parse_qsl(parts.query, keep_blank_values=True)
    filtered = [(k, v) for k, v in kept if not is_tracking_param(k)]
    if len(filtered) == len(kept):
        return url
    return urlunsplit(parts._replace(query=urlencode(filtered)))


def resolve(link: str, base: str) -> str:
    """Resolve a possibly relative link against the feed's URL (``""`` if unreadable)."""
    if not link:
        return ""
    try:
        return urljoin(base, link.strip())
    except ValueError:
        return ""


def canonical_url(url: str) -> str:
    """Give one spelling per article: lower-case host, no default port, fragment or tracking.

    ``""`` for a URL that cannot be read (the article then has no canonical address).
    """
    if not url:
        return ""
    try:
        parts = urlsplit(strip_tracking(url.strip()))
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:  # IPv6 literal: keep its brackets
        host = f"[{host}]"
    web = scheme in WEB_SCHEMES
    # http and https name one article; so do their default ports, whichever scheme they came
    # with (else "http://h:443" would give "https://h:443", which canonicalises again to
    # "https://h": one spelling must be a fixed point).
    netloc = host if port is None or (web and port in (80, 443)) else f"{host}:{port}"
    return urlunsplit(("https" if web else scheme, netloc, parts.path or "/", parts.query, ""))
