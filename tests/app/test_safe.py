"""Feed text shown through Markdown stays literal text; only web links become links."""

from __future__ import annotations

import pytest

from radar.app.safe import md, web_link


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
        ("<img src=x onerror=alert(2)>", r"\<img src\=x onerror\=alert\(2\)\>"),
        ("[click](javascript:alert(1))", r"\[click\]\(javascript\:alert\(1\)\)"),
        ("costs $5 and $6", r"costs \$5 and \$6"),
        ("**bold**\n# heading", r"\*\*bold\*\* \# heading"),
        ("日本語（全角）", "日本語（全角）"),
    ],
)  # fmt: skip
def test_markdown_escaping_keeps_text_literal(text: str, expected: str) -> None:
    assert md(text) == expected


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("file:///etc/passwd", False),
        ("//example.org", False),
        (None, False),
    ],
)
def test_only_web_links_are_linked(url: object, ok: bool) -> None:
    assert (web_link(url) is not None) is ok
