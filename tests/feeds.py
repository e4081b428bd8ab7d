"""Tiny hand-written feed documents for tests."""

from __future__ import annotations


def rss(items: list[dict[str, str]], title: str = "Test feed", extra: str = "",
        encoding: str = "utf-8") -> bytes:  # fmt: skip
    """An RSS 2.0 document; each item dict may hold title, link, guid, date, description."""
    parts = []
    for item in items:
        fields = []
        for tag, key in (("title", "title"), ("link", "link"), ("guid", "guid"),
                         ("pubDate", "date"), ("description", "description")):  # fmt: skip
            if key in item:
                fields.append(f"<{tag}>{item[key]}</{tag}>")
        parts.append("<item>" + "".join(fields) + "</item>")
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link>{extra}"
        + "".join(parts)
        + "</channel></rss>"
    )
    return text.encode(encoding)


def numbered(n: int, prefix: str = "Story", start: int = 0) -> list[dict[str, str]]:
    """n distinct dated items."""
    return [
        {
            "title": f"{prefix} number {i} about cloud migration",
            "link": f"https://example.org/{prefix.lower()}/{i}",
            "guid": f"{prefix}-{i}",
            "date": f"Mon, {1 + i % 27:02d} Sep 2025 10:00:00 +0900",
        }
        for i in range(start, start + n)
    ]
