"""What staff of a Japanese office meet on every visit (issue 13): the chosen language sticks
(URL, links, reloads, the digest), times are office time with a label, the Japanese UI holds
no English or developer text, and a feed never fetched is not called healthy."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from feeds import numbered, rss
from feedserver import Route
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from radar import service
from radar.app.views.tagging import QUEUE_KEY
from radar.config import Settings
from radar.digest.compose import compose
from radar.digest.gather import gather
from radar.records import FeedSpec
from radar.store.db import open_db
from radar.store.editions import edition_weeks
from radar.store.feeds import feed_health, sync_feeds
from radar.store.labels import set_tag
from radar.taxonomy.load import load_taxonomy
from radar.timefmt import local_label
from tests.app.conftest import APP, page
from tests.conftest import FIXED_NOW

LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d JST$")
NEVER = FeedSpec(id="never", name="Never fetched", url="https://news.example.jp/feed.xml")
DENY = (
    "--allow-private", "allow_private", "trained", "F1 ja", "F1 en", "ja/en",
    "RADAR_APP_USERS", "(weak)", "radar digest", "UTC",
)  # fmt: skip
"""English or developer words that must not reach a Japanese page."""
LINK_COLUMN = re.compile(r"^link$", re.IGNORECASE)


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _texts(at: AppTest) -> list[str]:
    """Every piece of interface text on the page: values, labels, help, options, columns."""
    found: list[str] = []
    for node in _walk(at._tree):
        if node.type == "dataframe":
            found.extend(str(column) for column in node.value.columns)
            continue
        for name in ("value", "label", "help", "body", "placeholder"):
            value = getattr(node, name, None) if name != "value" or node.type != "text" else None
            if isinstance(value, str):
                found.append(value)
        for option in getattr(node, "options", None) or ():
            found.append(str(option))
    return found


def _english_or_developer_words(at: AppTest, deny: tuple[str, ...]) -> list[str]:
    texts = _texts(at)
    bad = [text for text in texts for word in deny if word in text]
    return bad + [text for text in texts if LINK_COLUMN.match(text)]


# --- 1. the language sticks ------------------------------------------------------------------


def test_english_chosen_by_url_survives_links_page_switches_and_reloads(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.header[0].value == "Radar"
    links = at.sidebar.get("page_link")
    assert [link.proto.label for link in links][:2] == ["Radar", "Technology"]
    assert all(link.proto.query_string == "lang=en" for link in links)
    quadrant = at.selectbox(key="radar_quadrant")
    assert quadrant.options[0] == "All" and "すべて" not in quadrant.options
    at.button(key="legend_kubernetes").click().run()  # a legend name opens the tech page
    assert not at.exception
    assert [h.value for h in at.header] == ["Kubernetes"]
    assert at.query_params["lang"] == "en" and at.query_params["tech"] == "kubernetes"
    assert at.sidebar.title[0].value == "Trend Radar"
    at.query_params.clear()  # a page switch in the sidebar drops the URL's parameters
    at.run()
    assert at.sidebar.title[0].value == "Trend Radar"
    assert at.query_params["lang"] == "en"  # and the app writes the language back
    reload = AppTest.from_file(APP, default_timeout=60)
    reload.query_params.update({"lang": "en", "tech": "rpa"})  # a new session: bookmark/reload
    reload.run()
    assert not reload.exception
    assert reload.sidebar.title[0].value == "Trend Radar"
    assert any("Why it sits here" in s.value for s in reload.subheader)


def test_the_language_switch_writes_the_url_and_wins_over_the_old_url(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.query_params["lang"] == "ja" and at.header[0].value == "レーダー"
    at.radio(key="ui_lang_switch").set_value("en").run()
    assert at.header[0].value == "Radar" and at.query_params["lang"] == "en"
    at.radio(key="ui_lang_switch").set_value("ja").run()
    assert at.header[0].value == "レーダー" and at.query_params["lang"] == "ja"


def test_digest_links_into_the_app_carry_the_readers_language(store: Path) -> None:
    db = open_db(store)
    week = edition_weeks(db)[0]
    data = gather(db, load_taxonomy(), week, "https://radar.city.example.jp", store.parent)
    db.close()
    for lang in ("ja", "en"):
        composed = compose(data, lang)
        for body in (composed.text, composed.html):
            links = re.findall(r"https://radar\.city\.example\.jp[^\s\"<]*", body)
            assert links, lang
            assert all(re.search(rf"[?&](amp;)?lang={lang}\b", link) for link in links), links
    gathered = [b["url"] for q in data.quadrants for ring in q["rings"].values() for b in ring]
    assert gathered and not any("lang=" in url for url in gathered)  # composing copies


# --- 2. times in office time, labelled ------------------------------------------------------


def test_one_rule_shows_stored_utc_as_labelled_office_time() -> None:
    tokyo = Settings().tz
    assert local_label("2024-01-04T15:28:00Z", tokyo) == "2024-01-05 00:28 JST"
    assert local_label(datetime(2024, 1, 4, 15, 28, tzinfo=UTC), tokyo) == "2024-01-05 00:28 JST"
    assert local_label(None, tokyo) == "—"
    assert local_label("2024-07-01T00:00:00Z", Settings(timezone="Europe/Berlin").tz) == (
        "2024-07-01 02:00 CEST"
    )


def test_feed_times_are_shown_in_jst(store: Path) -> None:
    at = page("feeds", "ja").run()
    table = at.dataframe[0].value
    shown = [v for v in table["最終成功"] if v != "—"] + [v for v in table["次回取得"] if v != "—"]
    assert shown and all(LOCAL_TIME.match(v) for v in shown), shown
    rows = {row["name"]: row for row in feed_health(open_db(store))}
    first = table.iloc[0]
    stored = rows[first["フィード"]]["last_success_at"]
    assert first["最終成功"] == local_label(stored, Settings().tz)


def test_a_tag_made_at_0028_jst_shows_that_time_not_the_utc_day_before(store: Path) -> None:
    at = page("tagging", "ja", user="sato").run()
    item_id = at.session_state[QUEUE_KEY][1][0]["id"]
    db = open_db(store)
    set_tag(db, item_id, by="sato", now=datetime(2024, 1, 4, 15, 28, tzinfo=UTC), staying="fad")
    db.close()
    at.run()
    captions = [c.value for c in at.caption]
    assert any("2024-01-05 00:28 JST" in c for c in captions), captions
    assert not any("15:28" in c for c in captions)


def test_evidence_items_show_jst(store: Path) -> None:
    at = page("tech", "ja")
    at.query_params["tech"] = "rpa"
    at.run()
    evidence = at.dataframe[0].value
    assert "記事へのリンク" in evidence.columns
    assert all(LOCAL_TIME.match(v) for v in evidence["公開日時"])


# --- 3. no English or developer text in the Japanese UI ------------------------------------


def _model_version(store: Path) -> None:
    """A model version trained at 2024-01-04 15:28 UTC, judged on rule labels."""
    folder = store.parent / "models" / "20240104-152800"
    folder.mkdir(parents=True, exist_ok=True)
    scores = {"n": 40, "quadrant_macro_f1": 0.91, "relevance_auc": 0.8}
    metrics = {"basis": "weak", "overall": scores, "ja": scores, "en": scores}
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")


@pytest.mark.parametrize("name", ["radar", "tech", "items", "tagging", "models", "feeds", "digest"])
def test_japanese_pages_hold_no_english_or_developer_text(store: Path, name: str) -> None:
    _model_version(store)
    at = page(name, "ja", user="sato")
    at.query_params["tech"] = "rpa"
    at.run()
    assert not at.exception
    assert at.dataframe or name in ("radar", "tagging", "digest")  # tables are scanned too
    assert not _english_or_developer_words(at, DENY)


def test_model_versions_show_when_they_were_trained_in_jst(store: Path) -> None:
    _model_version(store)
    table = page("models", "ja").run().dataframe[0].value
    assert list(table["学習日時"]) == ["2024-01-05 00:28 JST"]
    assert "領域 F1（日本語の記事）" in table.columns


def test_english_pages_say_all_not_subete(store: Path) -> None:
    for name in ("radar", "items"):
        at = page(name, "en").run()
        assert not [text for text in _texts(at) if "すべて" in text], name


def test_the_japanese_sidebar_without_users_says_it_in_plain_words(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RADAR_APP_USERS")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("閲覧のみ" in c.value for c in at.sidebar.caption)
    assert not _english_or_developer_words(at, DENY)
    assert st_config.get_option("client.toolbarMode") == "viewer"  # no "Deploy" button
    assert service.app_env(Settings())["STREAMLIT_CLIENT_TOOLBAR_MODE"] == "viewer"


def test_a_refused_private_feed_is_explained_in_japanese_without_cli_flags(
    store: Path, feed_server
) -> None:  # type: ignore[no-untyped-def]
    feed_server.routes["/private"] = Route(body=rss(numbered(1)))
    at = page("feeds", "ja", user="sato").run()
    at.text_input(key="add_feed_url").input(feed_server.url("/private"))
    at.button(key="FormSubmitter:add_feed-フィードを追加").click().run()
    errors = [e.value for e in at.error]
    assert errors and "組織内のネットワーク" in errors[0]
    assert not any("allow" in e for e in errors)


def test_the_japanese_digest_names_its_model_basis_in_japanese(store: Path) -> None:
    db = open_db(store)
    data = gather(db, load_taxonomy(), edition_weeks(db)[0], "https://r.example", store.parent)
    db.close()
    data.model = {"version": "20240105-002800", "basis": "weak",
                  "overall": {"quadrant_macro_f1": 0.9}}  # fmt: skip
    html = compose(data, "ja").html
    assert "(weak)" not in html and "macro-F1" not in html
    assert "参考値" in html


# --- 4. a feed never fetched is not healthy -------------------------------------------------


def test_a_feed_never_fetched_shows_as_not_fetched_yet(store: Path) -> None:
    db = open_db(store)
    sync_feeds(db, [NEVER], "config", FIXED_NOW)
    db.close()
    at = page("feeds", "ja").run()
    table = at.dataframe[0].value
    status = dict(zip(table["フィード"], table["状態"], strict=True))
    assert status["Never fetched"] == "未取得"
    assert table.loc[table["フィード"] == "Never fetched", "最終成功"].iloc[0] == "—"
    english = page("feeds", "en").run().dataframe[0].value
    assert dict(zip(english["Feeds"], english["Status"], strict=True))["Never fetched"] == (
        "Not fetched yet"
    )
