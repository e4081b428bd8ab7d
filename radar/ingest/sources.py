"""Feeds to and from OPML, and the address rule for feeds added by hand.

OPML is how feed readers trade subscription lists; importing one must obey the same rule as
``radar feeds add``: http(s) only, and no loopback or private addresses unless allowed.

An OPML file comes from outside, so reading one is bounded and never raises past one
outline: entity declarations and external references are refused (defusedxml), the file is
read as a stream and given up once it lists more than ``max_outlines`` outlines to import,
folders are tracked on a stack rather than by recursion (5,000 nested folders are fine), and
an outline whose address is unusable or that sits too deep is returned with the reason, for
the import to report, instead of stopping the file.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from radar.errors import ConfigError
from radar.plaintext import strip_controls
from radar.slug import slugify
from radar.urls import canonical_url

MAX_OPML_OUTLINES = 2_000  # a large reader's export has a few hundred feeds
MAX_FOLDER_DEPTH = 32
_LABEL_LIMIT = 200
_ID_FROM = 60  # characters of a name that make a readable id


def feed_label(text: str) -> str:
    """A feed's display name from outside text: no control sequences, one line, bounded.

    Names are stored and shown in terminals, tables and e-mail; a title that clears the
    screen or spans lines would follow the feed everywhere.
    """
    return " ".join(strip_controls(text).split())[:_LABEL_LIMIT]


def preferred_id(label: str) -> str:
    """The id a feed added by address would like: a slug of its name's start.

    Only a preference: ``store.feeds.add_feeds`` adds a suffix when another feed has it.
    """
    return slugify(label[:_ID_FROM])


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a feed address, or None when it can (http(s), a valid host)."""
    if not url:
        return "no feed URL"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "spaces or control characters in the URL"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it validates it (raises on 99999 or "x")
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in {"http", "https"}:
        return "not an http(s) URL"
    if not parts.hostname:
        return "no host name in the URL"
    try:
        parts.hostname.encode("idna")
    except UnicodeError:
        return "not a valid host name"
    return None


def feed_url_key(url: str) -> str:
    """The identity of a feed address: one spelling for http/https, www., case, tracking.

    Two outlines or subscriptions with the same key are one feed. A URL that cannot be
    parsed is its own key (it can only equal itself).
    """
    try:
        return canonical_url(url) or url.strip()
    except ValueError:
        return url.strip()


def check_feed_url(url: str) -> str:
    """Return the URL stripped, or raise ConfigError when it is not http(s) with a host."""
    url = url.strip()
    problem = url_problem(url)
    if problem:
        raise ConfigError(f"feeds: {url!r}: {problem}")
    return url


@dataclass(frozen=True)
class Outline:
    """One OPML outline to import (a feed, or a leaf that is not one) and why it cannot be."""

    number: int  # 1-based, in document order among the outlines to import
    name: str
    url: str
    tags: tuple[str, ...] = ()
    lang: str | None = None
    problem: str | None = None


@dataclass
class _Open:
    """An <outline> whose end tag has not been read yet."""

    folder: str | None  # its label when it is a folder (no xmlUrl)
    is_feed: bool
    has_children: bool = False


def read_opml(source: bytes | BinaryIO, max_outlines: int = MAX_OPML_OUTLINES) -> list[Outline]:
    """Every outline with an xmlUrl, and every leaf without one; folders become tags.

    Raises ConfigError (one line) when the file is not OPML, not well-formed, declares
    entities, or lists more than ``max_outlines`` outlines to import.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    outlines: list[Outline] = []
    stack: list[_Open] = []
    depth = 0  # open elements of any kind
    body_depth: int | None = None  # depth of the open <body>, if any
    found_body = False

    def add(outline: Outline) -> None:
        if len(outlines) >= max_outlines:
            raise ConfigError(
                f"opml: the file lists more than {max_outlines:,} outlines to import; "
                "nothing was imported (raise the limit with --max-feeds)"
            )
        outlines.append(outline)

    try:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "opml":
                    raise ConfigError(f"opml: the document is <{element.tag}>, not <opml>")
                if depth == 2 and element.tag == "body":
                    body_depth, found_body = depth, True
                if element.tag != "outline" or body_depth is None:
                    continue
                if stack:
                    stack[-1].has_children = True
                url = element.get("xmlUrl")
                label = feed_label(element.get("title") or element.get("text") or "")
                if url is None:
                    stack.append(_Open(folder=label or None, is_feed=False))
                    continue
                stack.append(_Open(folder=None, is_feed=True))
                url = url.strip()
                folders = tuple(o.folder for o in stack[:-1] if o.folder)
                problem = url_problem(url)
                if problem is None and len(stack) - 1 > MAX_FOLDER_DEPTH:
                    problem = f"nested {len(stack) - 1} folders deep (at most {MAX_FOLDER_DEPTH})"
                add(
                    Outline(
                        number=len(outlines) + 1, name=label or url[:_LABEL_LIMIT], url=url,
                        tags=folders[:MAX_FOLDER_DEPTH],
                        lang=feed_label(element.get("language") or "")[:20] or None,
                        problem=problem,
                    )
                )  # fmt: skip
                continue
            depth -= 1
            if element.tag == "body" and depth + 1 == body_depth:
                body_depth = None
            if element.tag != "outline" or not stack:
                continue
            closed = stack.pop()
            if not closed.is_feed and not closed.has_children:
                add(
                    Outline(
                        number=len(outlines) + 1, name=closed.folder or "(untitled)", url="",
                        problem="no xmlUrl: not a feed",
                    )
                )  # fmt: skip
            element.clear()  # children were handled; keep memory flat on long files
    except ET.ParseError as exc:
        raise ConfigError(f"opml: not valid XML: {exc}") from exc
    except DefusedXmlException as exc:
        raise ConfigError(
            f"opml: entity declarations and external references are refused ({exc})"
        ) from exc
    if not found_body:
        raise ConfigError("opml: no <opml><body> found")
    return outlines


def to_opml(feeds: Iterable[tuple[str, str, str | None]], title: str = "Trend Radar") -> str:
    """Write (name, url, site_url) triples as an OPML 2.0 document."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for name, url, site in feeds:
        label = feed_label(name)  # control characters are not allowed in XML 1.0
        attrs = {"type": "rss", "text": label, "title": label, "xmlUrl": url}
        if site:
            attrs["htmlUrl"] = site
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
