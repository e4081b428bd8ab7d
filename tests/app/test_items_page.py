"""The Items page on a small store: a real count, pages, key columns first, marked excerpts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from radar.app.views.items import ROW_PX, page_span, table_height
from radar.records import Item
from radar.store.items import insert_items
from tests.app.conftest import page
from tests.conftest import FIXED_NOW

N_ITEMS = 30


@pytest.fixture
def small_store(app_env, db):  # type: ignore[no-untyped-def]
    """30 English items, one of which says "payroll" only in its summary."""
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at)"
        " VALUES ('city', 'City news', 'https://city.example/f', 'https://city.example/f', ?)",
        ["2024-01-01T00:00:00Z"],
    )
    start = datetime(2024, 3, 1, tzinfo=UTC)
    items = [
        Item(
            key=f"l:https://city.example/{i}", guid=None, link=f"https://city.example/{i}",
            canonical_url=f"https://city.example/{i}", title=f"Ward notice {i:02d}",
            summary_html="", published=start + timedelta(hours=i), date_missing=False,
            lang="en",
            summary_text="The office moves payroll to the shared cloud in April." if i == 7
            else f"Routine notice number {i}.",
        )
        for i in range(N_ITEMS)
    ]  # fmt: skip
    insert_items(db, "city", items, FIXED_NOW)
    db.conn.commit()
    return app_env


def test_the_count_is_real_and_pages_step_through_every_item(small_store) -> None:  # type: ignore[no-untyped-def]
    at = page("items").run()
    assert not at.exception, at.exception
    assert "**30**" in at.markdown[0].value and "1–25" in at.markdown[0].value
    first = at.dataframe[0].value
    assert len(first) == 25 and first["Headline"].iloc[0] == "Ward notice 29"
    at.number_input(key="items_page").set_value(2).run()
    second = at.dataframe[0].value
    assert list(second["Headline"]) == [f"Ward notice {i:02d}" for i in range(4, -1, -1)]
    assert "26–30" in at.markdown[0].value
    at.selectbox(key="items_page_size").set_value(50).run()
    assert len(at.dataframe[0].value) == N_ITEMS


def test_a_new_search_starts_again_at_page_one(small_store) -> None:  # type: ignore[no-untyped-def]
    at = page("items").run()
    at.number_input(key="items_page").set_value(2).run()
    at.text_input(key="items_search").input("notice").run()
    assert at.number_input(key="items_page").value == 1
    assert len(at.dataframe[0].value) == 25


def test_key_columns_come_first_and_the_table_fits_its_rows(small_store) -> None:  # type: ignore[no-untyped-def]
    at = page("items", lang="ja").run()
    columns = list(at.dataframe[0].value.columns)
    assert columns[:4] == ["見出し", "公開日時", "媒体", "技術"]
    assert columns[-1] == "自治体関連度"


def test_the_table_is_as_tall_as_its_rows() -> None:
    """No inner scroll box for a full page, no empty space under a short one."""
    assert table_height(1) < 3 * ROW_PX
    assert table_height(100) >= 101 * ROW_PX
    assert table_height(0) == table_height(1)
    assert page_span(30, 25, 2) == (26, 30)


def test_a_hit_only_in_the_summary_shows_where_it_matched(small_store) -> None:  # type: ignore[no-untyped-def]
    at = page("items").run()
    at.text_input(key="items_search").input("payroll").run()
    table = at.dataframe[0].value
    assert list(table["Headline"]) == ["Ward notice 07"]
    assert "【payroll】" in table["Where it matches"].iloc[0]
    assert "**1**" in at.markdown[0].value


def test_the_excerpt_column_is_wide_enough_to_read(small_store) -> None:  # type: ignore[no-untyped-def]
    at = page("items").run()
    at.text_input(key="items_search").input("payroll").run()
    config = at.dataframe[0].proto.columns
    assert '"Where it matches": {"width": 520' in config.replace("\n", "")
