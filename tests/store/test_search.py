"""Searching items: every word must match as typed, and an oversized search is refused in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.errors import SearchError
from radar.records import Item
from radar.store.items import MAX_SEARCH_CHARS, MAX_SEARCH_TERMS, ItemQuery, query_items
from radar.store.items import insert_items as store_items
from tests.conftest import FIXED_NOW

TITLES = ["100% cloud migration", "1000 cloud servers", "snake_case names", "snakeXcase names"]


@pytest.fixture
def titled(db):  # type: ignore[no-untyped-def]
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at)"
        " VALUES ('news', 'News', 'https://news.example/feed', 'https://news.example/feed', ?)",
        ["2024-01-01T00:00:00Z"],
    )
    items = [
        Item(
            key=f"l:https://example.org/{i}", guid=None, link=f"https://example.org/{i}",
            canonical_url=f"https://example.org/{i}", title=title, summary_html="",
            summary_text="", published=datetime(2024, 2, 1 + i, tzinfo=UTC),
            date_missing=False, lang="en",
        )
        for i, title in enumerate(TITLES)
    ]  # fmt: skip
    store_items(db, "news", items, FIXED_NOW)
    db.conn.commit()
    return db


def _titles(db, search: str) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(row["title"] for row in query_items(db, ItemQuery(search=search)))


def test_percent_and_underscore_are_plain_characters(titled) -> None:  # type: ignore[no-untyped-def]
    assert _titles(titled, "0%") == ["100% cloud migration"]
    assert _titles(titled, "%") == ["100% cloud migration"]
    assert _titles(titled, "_") == ["snake_case names"]
    assert _titles(titled, "e_c") == ["snake_case names"]  # three characters: the FTS index
    assert _titles(titled, "\\") == []


def test_fts_operators_in_a_search_are_words_not_syntax(titled) -> None:  # type: ignore[no-untyped-def]
    assert _titles(titled, 'cloud" OR "names') == []
    assert _titles(titled, "NOT cloud") == []
    assert _titles(titled, "cloud migration") == ["100% cloud migration"]


def test_a_thousand_word_search_is_refused_with_the_limit(titled) -> None:  # type: ignore[no-untyped-def]
    words = " ".join(f"w{i}" for i in range(1000))
    with pytest.raises(SearchError, match=f"at most {MAX_SEARCH_TERMS} words"):
        query_items(titled, ItemQuery(search=words[:MAX_SEARCH_CHARS]))
    with pytest.raises(SearchError, match=f"at most {MAX_SEARCH_CHARS} characters"):
        query_items(titled, ItemQuery(search=words))


def test_a_search_at_the_limits_runs(titled) -> None:  # type: ignore[no-untyped-def]
    words = ["cloud"] * 20 + [f"x{i}" for i in range(MAX_SEARCH_TERMS - 1)]  # repeats are free
    assert _titles(titled, " ".join(words)) == []
    assert _titles(titled, "cloud " * 40) == ["100% cloud migration", "1000 cloud servers"]
