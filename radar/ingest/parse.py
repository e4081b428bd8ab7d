"""Turn response bytes into clean Items with feedparser.

Pure: the fetch time and the feed's URL are arguments. feedparser reads the bytes together
with the response headers so HTTP charset rules apply; everything it returns is normalised
here (UTC dates, resolved and de-tracked links, sanitised HTML, detected language).
"""

from __future__ import annotations

import calendar
import gzip
import hashlib
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from radar.errors import ParseError
from radar.ingest.lang import detect_language
from radar.ingest.sanitize import sanitize_html, sanitized_to_text, to_text
from radar.ingest.urls import canonical_url, resolve, strip_tracking
from radar.records import Item, ParsedFeed

_HEADER_NAMES = ("content-type", "content-language", "last-modified")
_GZIP_MAGIC = b"\x1f\x8b"
_MAX_INFLATED = 50 * 1024 * 1024


def _maybe_gunzip(body: bytes) -> bytes:
    """Inflate a body that is gzip data without a Content-Encoding header (seen in the wild)."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = inflater.decompress(body, _MAX_INFLATED)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise ParseError(f"parse: body looks gzip-compressed but is corrupt ({exc})") from exc
    if inflater.unconsumed_tail:
        raise ParseError("parse: compressed body inflates beyond the size limit")
    return data


def _entry_datetime(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def entry_html(entry: Mapping[str, Any]) -> str:
    """The entry's HTML as we keep it: the summary, else the first non-empty content."""
    summary = entry.get("summary") or ""
    if not summary:
        for content in entry.get("content") or []:
            if content.get("value"):
                return str(content["value"])
    return str(summary)


def _entry_link(entry: Mapping[str, Any], base: str) -> str:
    link = entry.get("feedburner_origlink") or entry.get("link") or ""
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    return strip_tracking(resolve(str(link), base)) if link else ""


def item_key(guid: str | None, link: str, title: str, published: datetime | None) -> str:
    """Identify an entry within its feed: guid, else link, else title and date.

    The key is what makes re-fetching idempotent, so it must not depend on the fetch time.
    """
    if guid:
        return "g:" + guid
    if link:
        return "l:" + canonical_url(link)
    stamp = published.isoformat() if published else ""
    return "t:" + hashlib.sha1(f"{title}\x00{stamp}".encode()).hexdigest()


def parse_feed(
    body: bytes,
    url: str,
    fetched_at: datetime,
    headers: Mapping[str, str] | None = None,
    lang_hint: str | None = None,
) -> ParsedFeed:
    """Parse one response into items; raise ParseError when it holds no feed at all."""
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers = {k: v for k, v in response_headers.items() if k in _HEADER_NAMES}
    # No content-location: links are resolved against ``url`` here, which is cheaper than
    # feedparser resolving every URI it meets.
    # nh3 sanitises and resolves links below; feedparser doing both first tripled parse time.
    parsed = feedparser.parse(
        _maybe_gunzip(body),
        response_headers=response_headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception")
    if not entries and (parsed.get("bozo") and not parsed.get("version")):
        head = body[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise ParseError("parse: the URL returned an HTML page, not a feed")
        raise ParseError(f"parse: not a readable feed ({problem or 'no entries'})")
    feed_meta = parsed.get("feed") or {}
    hint = lang_hint or (feed_meta.get("language") or "")[:2] or None
    items: list[Item] = []
    seen: set[str] = set()
    for entry in entries:
        title = to_text(str(entry.get("title") or ""), limit=500)
        link = _entry_link(entry, url)
        published = _entry_datetime(entry)
        guid = str(entry.get("id") or "").strip() or None
        if not (title or link):
            continue
        key = item_key(guid, link, title, published)
        if key in seen:
            continue
        seen.add(key)
        summary_html = sanitize_html(entry_html(entry), link or url)
        summary_text = sanitized_to_text(summary_html)
        items.append(
            Item(
                key=key,
                guid=guid,
                link=link,
                canonical_url=canonical_url(link),
                title=title or summary_text[:120] or link,
                summary_html=summary_html,
                summary_text=summary_text,
                published=published or fetched_at,
                date_missing=published is None,
                lang=detect_language(f"{title} {summary_text[:200]}", hint),
            )
        )
    warning = f"feed is not well-formed: {problem}" if parsed.get("bozo") and problem else None
    ttl = feed_meta.get("ttl")
    return ParsedFeed(
        title=to_text(str(feed_meta.get("title") or ""), limit=300),
        site_url=feed_meta.get("link"),
        items=tuple(items),
        warning=warning,
        ttl_minutes=int(ttl) if str(ttl or "").isdigit() else None,
    )
