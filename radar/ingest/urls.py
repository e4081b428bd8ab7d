"""Canonicalise URLs so the same article is recognised across feeds and re-fetches."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING_NAMES = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "yclid",
        "msclkid",
        "igshid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "cmpid",
        "ncid",
        "spm",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "wt.mc_id",
        "at_medium",
        "at_campaign",
    }
)


_QUERY_MARKERS = (*_TRACKING_PREFIXES, *_TRACKING_NAMES)


def is_tracking_param(name: str) -> bool:
    """Say whether a query parameter only tracks the reader (safe to drop)."""
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """Remove utm_* and similar parameters, keeping every other parameter in order."""
    if "?" not in url:
        return url
    parts = urlsplit(url)
    lowered = parts.query.lower()
    if not any(marker in lowered for marker in _QUERY_MARKERS):
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    filtered = [(k, v) for k, v in kept if not is_tracking_param(k)]
    if len(filtered) == len(kept):
        return url
    return urlunsplit(parts._replace(query=urlencode(filtered)))


def resolve(link: str, base: str) -> str:
    """Resolve a possibly relative link against the feed's URL."""
    return urljoin(base, link.strip()) if link else ""


def canonical_url(url: str) -> str:
    """Give one spelling per article: lower-case host, no default port, fragment or tracking."""
    if not url:
        return ""
    parts = urlsplit(strip_tracking(url.strip()))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = (
        host
        if port is None or (scheme, port) in {("http", 80), ("https", 443)}
        else (f"{host}:{port}")
    )
    path = parts.path or "/"
    if scheme in {"http", "https"}:
        scheme = "https"
    return urlunsplit((scheme, netloc, path, parts.query, ""))
