"""Turn response bytes into clean Items with feedparser.

Pure: the fetch time and the feed's URL are arguments. feedparser reads the bytes together
with the response headers so HTTP charset rules apply; everything it returns is normalised
here (UTC dates, resolved and de-tracked links, sanitised HTML, detected language).
"""

from __future__ import annotations

import calendar
import gzip
import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import feedparser

from radar.errors import ParseError
from radar.ingest.lang import detect_language
from radar.ingest.sanitize import sanitize_html, sanitized_to_text, to_text
from radar.ingest.schedule import parse_ttl
from radar.plaintext import strip_controls
from radar.records import Item, ParsedFeed
from radar.urls import canonical_url, resolve, strip_tracking, web_url

_HEADER_NAMES = ("content-type", "content-language", "last-modified")
_GZIP_MAGIC = b"\x1f\x8b"
_MAX_INFLATED = 50 * 1024 * 1024
_CHAR_REF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{1,8})|0*([0-9]{1,10}));")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=1)
NO_TITLE = "(no title)"


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


def _no_bad_char_refs(body: bytes) -> bytes:
    """Replace character references to surrogates or past U+10FFFF by U+FFFD.

    feedparser's fallback parser raises UnicodeEncodeError on ``&#xD800;`` (the whole
    document would be lost for one character).
    """
    if b"&#" not in body:
        return body

    def fix(match: re.Match[bytes]) -> bytes:
        hex_digits, decimal = match.group(1), match.group(2)
        value = int(hex_digits, 16) if hex_digits else int(decimal)
        return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else match.group()

    return _CHAR_REF.sub(fix, body)


def _entry_datetime(entry: Mapping[str, Any], fetched_at: datetime) -> datetime | None:
    """The entry's date in UTC, or None when it has none we can believe.

    Dates before 1970 or more than a day after the fetch are typing or clock errors; kept,
    they would sit on top of every list for years (and year 9999 overflows story windows).
    """
    latest = fetched_at + _FUTURE_SLACK
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, OSError, TypeError):
                continue
            if _EPOCH <= moment <= latest:
                return moment
    return None


def entry_html(entry: Mapping[str, Any]) -> str:
    """The entry's HTML as we keep it: the summary, else the first non-empty content."""
    summary = entry.get("summary") or ""
    if not summary:
        for content in entry.get("content") or []:
            if content.get("value"):
                return str(content["value"])
    return str(summary)


def _raw_link(entry: Mapping[str, Any]) -> str:
    link = entry.get("feedburner_origlink") or entry.get("link") or ""
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                return str(candidate["href"])
    return str(link)


def _entry_link(raw: str, base: str) -> str:
    """The entry's link resolved and de-tracked, or "" unless it is a web (http/s) address."""
    return strip_tracking(web_url(resolve(raw, base))) if raw else ""


def fallback_title(summary_text: str, link: str) -> str:
    """A title for an entry whose title is empty or only markup, as feed readers show one.

    The start of its text, else the link's host and path, else "(no title)".
    """
    if summary_text:
        return summary_text[:120]
    parts = urlsplit(link) if link else None
    if parts and parts.hostname:
        return (parts.hostname + parts.path.rstrip("/"))[:300]
    return NO_TITLE


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
    try:
        parsed = feedparser.parse(
            _no_bad_char_refs(_maybe_gunzip(body)),
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (ValueError, LookupError, RecursionError) as exc:  # UnicodeError is a ValueError
        raise ParseError(f"parse: the document cannot be read ({type(exc).__name__})") from exc
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
    bad_links = 0
    skipped: Counter[str] = Counter()
    for entry in entries:
        try:
            raw_link = _raw_link(entry)
            item = _entry_item(entry, raw_link, url, fetched_at, hint)
        except Exception as exc:  # one bad entry is skipped and counted, never the feed
            skipped[f"{type(exc).__name__}: {exc}"[:120]] += 1
            continue
        if raw_link.strip() and not (item and item.link):
            bad_links += 1
        if item is None or item.key in seen:
            continue
        seen.add(item.key)
        items.append(item)
    notes = [f"feed is not well-formed: {problem}"] if parsed.get("bozo") and problem else []
    if bad_links:
        notes.append(f"{bad_links} item link(s) dropped: not a readable http(s) address")
    if skipped:
        reasons = ", ".join(f"{reason} ({count})" for reason, count in skipped.most_common(3))
        notes.append(f"{skipped.total()} item(s) skipped as unreadable: {reasons}")
    return ParsedFeed(
        title=to_text(str(feed_meta.get("title") or ""), limit=300),
        site_url=web_url(resolve(str(feed_meta.get("link") or ""), url)) or None,
        items=tuple(items),
        warning=strip_controls("; ".join(notes))[:1000] or None,
        ttl_minutes=parse_ttl(feed_meta.get("ttl")),
    )


def _entry_item(
    entry: Mapping[str, Any], raw_link: str, url: str, fetched_at: datetime, hint: str | None
) -> Item | None:
    """One entry as an Item; None for an entry with nothing to show (no title, text or link)."""
    raw_title = str(entry.get("title") or "")
    title = to_text(raw_title, limit=500)
    link = _entry_link(raw_link, url)
    published = _entry_datetime(entry, fetched_at)
    guid = str(entry.get("id") or "").strip() or None
    html_text = entry_html(entry)
    if not (title or link or raw_title.strip() or html_text.strip()):
        return None
    # A markup-only title still tells entries apart, so it keys an entry without guid or link.
    key = item_key(guid, link, title or raw_title.strip(), published)
    summary_html = sanitize_html(html_text, link or url)
    summary_text = sanitized_to_text(summary_html)
    return Item(
        key=key,
        guid=guid,
        link=link,
        canonical_url=canonical_url(link),
        title=title or fallback_title(summary_text, link),
        summary_html=summary_html,
        summary_text=summary_text,
        published=published or fetched_at,
        date_missing=published is None,
        lang=detect_language(f"{title} {summary_text[:200]}", hint),
    )
