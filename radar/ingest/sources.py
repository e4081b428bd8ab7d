"""Feeds to and from OPML, and the address rule for feeds added by hand.

OPML is how feed readers trade subscription lists; importing one must obey the same rule as
``radar feeds add``: http(s) only, and no loopback or private addresses unless allowed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import urlsplit

from radar.errors import ConfigError
from radar.records import FeedSpec
from radar.slug import slugify


def check_feed_url(url: str) -> str:
    """Return the URL stripped, or raise ConfigError when it is not http(s) with a host."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"feeds: {url!r} is not an http(s) URL")
    return url


def parse_opml(data: bytes, default_interval: int = 60) -> list[FeedSpec]:
    """Read every outline with an xmlUrl; nested folders become tags."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"opml: not valid XML: {exc}") from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError("opml: no <opml><body> found")
    specs: list[FeedSpec] = []

    def walk(node: ET.Element, folders: tuple[str, ...]) -> None:
        for outline in node.findall("outline"):
            url = outline.get("xmlUrl")
            label = outline.get("title") or outline.get("text") or ""
            if url:
                name = label or url
                specs.append(
                    FeedSpec(
                        id=slugify(name), name=name, url=check_feed_url(url),
                        lang=outline.get("language") or None, tags=folders,
                        interval_minutes=default_interval,
                    )
                )  # fmt: skip
            else:
                walk(outline, (*folders, label) if label else folders)

    walk(body, ())
    return specs


def to_opml(feeds: Iterable[tuple[str, str, str | None]], title: str = "Trend Radar") -> str:
    """Write (name, url, site_url) triples as an OPML 2.0 document."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for name, url, site in feeds:
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": url}
        if site:
            attrs["htmlUrl"] = site
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
