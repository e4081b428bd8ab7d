"""Searching items: every word must match as typed, and an oversized search is refused in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.errors import SearchError
from radar.store.items import (
    MAX_SEARCH_CHARS,
    MAX_SEARCH_TERMS,
    ItemQuery,
    count_matching,
    excerpt_of,
    excerpts,
    query_items,
)
from tests.stored import store_items

TITLES = ["100% cloud migration", "1000 cloud servers", "snake_case names", "snakeXcase names"]


@pytest.fixture
def titled(db):  # type: ignore[no-untyped-def]
    store_items(
        db, "news", [(datetime(2024, 2, 1 + i, tzinfo=UTC), t, "") for i, t in enumerate(TITLES)]
    )
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


SUMMARIES = {
    "Council minutes": "The council agreed to move payroll to the government cloud next spring.",
    "Budget notes": "Spending on paper forms fell; AI chat pilots were approved for two wards.",
    "Plain headline": "",
}


@pytest.fixture
def summarised(db):  # type: ignore[no-untyped-def]
    rows = [(datetime(2024, 3, 1 + i, tzinfo=UTC), title, summary)
            for i, (title, summary) in enumerate(SUMMARIES.items())]  # fmt: skip
    store_items(db, "city", rows)
    return db


def test_a_hit_only_in_the_summary_comes_with_a_marked_excerpt(summarised) -> None:  # type: ignore[no-untyped-def]
    rows = query_items(summarised, ItemQuery(search="government cloud"))
    assert [row["title"] for row in rows] == ["Council minutes"]
    found = excerpts(summarised, "government cloud", [row["id"] for row in rows])
    assert "【government】 【cloud】" in found[rows[0]["id"]]


def test_short_words_are_marked_in_the_excerpt_too(summarised) -> None:  # type: ignore[no-untyped-def]
    rows = query_items(summarised, ItemQuery(search="AI pilots"))
    found = excerpts(summarised, "AI pilots", [row["id"] for row in rows])
    assert "【AI】 chat 【pilots】" in found[rows[0]["id"]]
    rows = query_items(summarised, ItemQuery(search="AI"))  # "Plain headline" too: a substring
    found = excerpts(summarised, "AI", [row["id"] for row in rows])
    assert [found.get(row["id"], "") for row in rows if "【AI】" in found.get(row["id"], "")]


def test_an_item_without_a_summary_has_no_excerpt(summarised) -> None:  # type: ignore[no-untyped-def]
    rows = query_items(summarised, ItemQuery(search="headline"))
    assert excerpts(summarised, "headline", [row["id"] for row in rows]) == {}


def test_the_count_is_every_match_not_one_page(summarised) -> None:  # type: ignore[no-untyped-def]
    assert count_matching(summarised, ItemQuery(limit=1)) == 3
    assert count_matching(summarised, ItemQuery(search="the", limit=1, offset=1)) == 1
    assert count_matching(summarised, ItemQuery(search="e", lang="ja")) == 0
    page = query_items(summarised, ItemQuery(limit=2, offset=2))
    assert [row["title"] for row in page] == ["Council minutes"]


def test_an_excerpt_is_a_window_of_a_long_summary() -> None:
    text = "x" * 200 + " needle " + "y" * 200
    piece = excerpt_of(text, ["NEEDLE"])
    assert piece.startswith("…") and piece.endswith("…") and "【needle】" in piece
    assert len(piece) < 80
