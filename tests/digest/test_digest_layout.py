"""What a reader of the digest sees: one line per story, a radar table that does not collapse."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar.digest.compose import compose
from radar.digest.gather import gather, one_per_story
from radar.records import Item
from radar.store.items import insert_items
from radar.taxonomy.load import load_taxonomy
from tests.conftest import FIXED_NOW

WEEK = "2024-W10"  # Monday 2024-03-04 to Sunday 2024-03-10, Japan time
STORY_URL = "https://city.example/news/cloud-move"


def _item(key: str, url: str, title: str, day: int) -> Item:
    return Item(
        key=key, guid=None, link=url, canonical_url=url, title=title, summary_html="",
        summary_text="", published=datetime(2024, 3, day, 3, tzinfo=UTC), date_missing=False,
        lang="ja",
    )  # fmt: skip


@pytest.fixture
def two_feeds(db):  # type: ignore[no-untyped-def]
    """The same story from two feeds (the best scored) and one other story, all in WEEK."""
    for feed, name in (("a", "Alpha news"), ("b", "Beta wire")):
        db.execute(
            "INSERT INTO feeds (id, name, url, config_url, created_at) VALUES (?, ?, ?, ?, ?)",
            [feed, name, f"https://{feed}.example/f", f"https://{feed}.example/f", "2024-01-01"],
        )
    insert_items(db, "a", [_item("a1", STORY_URL, "庁内システムをクラウドへ移行", 5),
                           _item("a2", "https://city.example/other", "窓口の手続きを見直し", 6)],
                 FIXED_NOW)  # fmt: skip
    insert_items(db, "b", [_item("b1", STORY_URL, "庁内システムをクラウドへ移行", 5)], FIXED_NOW)
    quadrant = load_taxonomy().quadrants[0].id
    for item_id, relevance in db.execute("SELECT id, 0.9 - id * 0.1 FROM items").fetchall():
        db.execute(
            "INSERT INTO scores (item_id, model, quadrant, quadrant_confidence, relevance,"
            " scored_at) VALUES (?, 'rules', ?, 0.8, ?, '2024-03-11')",
            [item_id, quadrant, relevance],
        )
    db.conn.commit()
    return db


def test_a_story_told_by_two_feeds_is_listed_once(two_feeds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = gather(two_feeds, load_taxonomy(), WEEK, "http://localhost:8600", tmp_path)
    listed = [item for group in data.top_items for item in group["items"]]
    assert [item["title"] for item in listed] == [
        "庁内システムをクラウドへ移行", "窓口の手続きを見直し"
    ]  # fmt: skip
    assert listed[0]["source"] == "Alpha news, Beta wire"
    text = compose(data, "ja").text
    top = text[text.index("== 分野別の注目記事 ==") : text.index("== 確認をお願いしたい記事 ==")]
    assert top.count("庁内システムをクラウドへ移行") == 1 and "Alpha news, Beta wire" in top


def test_one_per_story_keeps_the_best_row_and_fills_up_to_the_limit() -> None:
    seen: set[int] = set()
    rows = [(1, 7), (2, 7), (3, 8), (4, 9), (5, 10)]
    assert one_per_story(rows, seen, 2) == [(1, 7), (3, 8)]
    assert one_per_story(rows, seen, 5) == [(4, 9), (5, 10)]  # a later quadrant skips the seen


def test_the_radar_table_has_fixed_equal_columns(two_feeds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html = compose(gather(two_feeds, load_taxonomy(), WEEK, "http://x", tmp_path), "ja").html
    table = html[html.index("table-layout:fixed") :]
    header = table[: table.index("</tr>")]
    widths = re.findall(r'<th[^>]* width="(\d+)"', header)
    assert len(widths) == 5 and len(set(widths)) == 1  # the label column and four rings
    assert sum(map(int, widths)) <= 640  # inside the 640 px message
    assert "試行" in header and "white-space:nowrap" in header
