"""The web app, run with Streamlit's AppTest against a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from feeds import numbered, rss
from feedserver import Route
from streamlit.testing.v1 import AppTest

from radar.ingest.pipeline import run_fetch
from radar.records import FeedSpec
from radar.store.feeds import sync_feeds
from tests.conftest import FIXED_NOW

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "Alert <script>alert(1)</script><img src=x onerror=alert(2)> in title"


@pytest.fixture
def app_env(monkeypatch, db_path: Path) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RADAR_DB", str(db_path))
    monkeypatch.setenv("RADAR_CONFIG", str(ROOT / "feeds.yaml"))
    st.cache_data.clear()
    st.cache_resource.clear()
    return db_path


@pytest.fixture
def filled(app_env, feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    items = [*numbered(5), {"title": "ガバメントクラウドへ移行", "guid": "ja1"}]
    items.append({"title": HOSTILE.replace("<", "&lt;").replace(">", "&gt;"), "guid": "x"})
    feed_server.routes["/a"] = Route(body=rss(items))
    feed_server.routes["/b"] = Route(status=500)
    sync_feeds(
        db,
        [FeedSpec(id="a", name="Good", url=feed_server.url("/a")),
         FeedSpec(id="b", name="Broken", url=feed_server.url("/b"))],
        "config", FIXED_NOW,
    )  # fmt: skip
    run_fetch(db, settings, lambda: FIXED_NOW, everything=True)


def _page(name: str, lang: str = "en") -> AppTest:
    def script(page: str, ui_lang: str) -> None:
        import importlib

        importlib.import_module(f"radar.app.pages.{page}").render(ui_lang)

    return AppTest.from_function(script, args=(name, lang), default_timeout=30)


def test_app_starts_on_an_empty_store_with_a_helpful_message(app_env) -> None:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert any("radar demo" in info.value for info in at.info)


def test_items_page_lists_and_searches_japanese(filled) -> None:  # type: ignore[no-untyped-def]
    at = _page("items").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 7
    at.text_input(key="items_search").input("クラウド").run()
    titles = list(at.dataframe[0].value["Headline"])
    assert titles == ["ガバメントクラウドへ移行"]


def test_hostile_titles_are_shown_as_text(filled) -> None:  # type: ignore[no-untyped-def]
    at = _page("items").run()
    titles = list(at.dataframe[0].value["Headline"])
    hostile = [t for t in titles if t.startswith("Alert")]
    assert hostile and "onerror" not in hostile[0] and "<script" not in hostile[0]
    assert not at.markdown or all("<script" not in m.value for m in at.markdown)


def test_feeds_page_shows_broken_feeds_first_in_japanese(filled) -> None:  # type: ignore[no-untyped-def]
    at = _page("feeds", "ja").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["フィード"]) == ["Broken", "Good"]
    assert list(table["状態"]) == ["エラー", "正常"]
    assert "HTTP 500" in table["最後のエラー"].iloc[0]
