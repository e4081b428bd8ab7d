"""The web app, run with Streamlit's AppTest against a real store: every page renders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from feeds import numbered, rss
from feedserver import Route
from streamlit.testing.v1 import AppTest

from radar.ingest.pipeline import run_fetch
from radar.records import FeedSpec
from radar.store.db import open_db
from radar.store.editions import edition_weeks, load_edition
from radar.store.feeds import sync_feeds
from tests.app.conftest import APP, ROOT, page
from tests.conftest import FIXED_NOW

HOSTILE = "Alert <script>alert(1)</script><img src=x onerror=alert(2)> in title"
PAGES = ("radar", "tech", "items", "tagging", "models", "feeds", "digest")


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


def _figure(at: AppTest, index: int = 0) -> dict:  # type: ignore[type-arg]
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_app_starts_on_an_empty_store_with_a_helpful_message(app_env) -> None:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("radar demo" in info.value for info in at.info)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_on_an_empty_store(app_env, name: str) -> None:  # type: ignore[no-untyped-def]
    at = page(name, "ja").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_on_demo_data(store: Path, name: str, lang: str) -> None:
    at = page(name, lang).run()
    assert not at.exception, at.exception
    assert at.header


def test_every_page_renders_signed_in(store: Path) -> None:
    for name in PAGES:
        at = page(name, "en", user="sato").run()
        assert not at.exception, (name, at.exception)


def test_app_opens_on_the_radar_in_japanese_by_default(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.header[0].value == "レーダー"
    figure = _figure(at)
    blips = [trace for trace in figure["data"] if trace.get("customdata")]
    db = open_db(store)
    week = edition_weeks(db)[0]
    assert sum(len(trace["customdata"]) for trace in blips) == len(load_edition(db, week))
    db.close()
    assert at.query_params["week"] == week


def test_radar_filters_narrow_the_chart_but_keep_numbers(store: Path) -> None:
    at = page("radar").run()
    everything = {c: n for trace in _figure(at)["data"] if trace.get("customdata")
                  for c, n in zip(trace["customdata"], trace["text"], strict=True)}  # fmt: skip
    at.selectbox(key="radar_ring").select("adopt").run()
    adopt = {c: n for trace in _figure(at)["data"] if trace.get("customdata")
             for c, n in zip(trace["customdata"], trace["text"], strict=True)}  # fmt: skip
    assert adopt and len(adopt) < len(everything)
    assert all(everything[tech] == number for tech, number in adopt.items())
    at.slider(key="radar_relevance").set_value(1.0).run()
    assert not at.exception


def test_week_selector_lists_every_edition_and_follows_the_url(store: Path) -> None:
    weeks = edition_weeks(open_db(store))
    at = page("radar")
    at.query_params["week"] = weeks[5]
    at.run()
    selector = at.selectbox(key="radar_week")
    assert list(selector.options) == weeks
    assert selector.value == weeks[5]


def test_deep_link_opens_the_technology_in_that_week(store: Path) -> None:
    weeks = edition_weeks(open_db(store))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"week": weeks[3], "tech": "kubernetes"})
    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Kubernetes"]
    assert at.selectbox(key="tech_week").value == weeks[3]
    assert at.query_params["tech"] == "kubernetes"


def test_legend_button_opens_the_technology_page(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.run()
    at.button(key="legend_kubernetes").click().run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Kubernetes"]
    assert any("Why it sits here" in s.value for s in at.subheader)


def test_technology_page_shows_reasons_history_and_evidence(store: Path) -> None:
    at = page("tech")
    at.query_params["tech"] = "rpa"
    at.run()
    assert at.header[0].value == "RPA" or "RPA" in at.header[0].value
    reasons = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert reasons and any("weeks" in r for r in reasons)
    keys = [chart.key for chart in at.get("plotly_chart")]
    assert keys[0] == "tech_weekly" and len(keys) >= 2  # weekly coverage, series, ring history
    evidence = at.dataframe[0].value
    assert len(evidence) >= 1 and "Headline" in evidence.columns


def test_items_page_lists_and_searches_japanese(filled) -> None:  # type: ignore[no-untyped-def]
    at = page("items").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 7
    at.text_input(key="items_search").input("クラウド").run()
    titles = list(at.dataframe[0].value["Headline"])
    assert titles == ["ガバメントクラウドへ移行"]


def test_items_page_refuses_a_huge_search_in_plain_words(filled) -> None:  # type: ignore[no-untyped-def]
    at = page("items", lang="ja").run()
    at.text_input(key="items_search").input(" ".join(f"w{i}" for i in range(1000))).run()
    assert not at.exception
    assert any("20 語" in w.value and "300 文字" in w.value for w in at.warning)
    at.text_input(key="items_search").input("100%").run()
    assert not at.exception and not at.dataframe  # "%" is a character, not "anything"


def test_items_page_shows_topic_technologies_and_scores(store: Path) -> None:
    at = page("items").run()
    table = at.dataframe[0].value
    for column in ("Topic", "Technologies", "Topic confidence", "Municipal relevance"):
        assert column in table.columns
    assert table["Technologies"].str.len().gt(0).any()


def test_hostile_titles_are_shown_as_text(filled) -> None:  # type: ignore[no-untyped-def]
    at = page("items").run()
    titles = list(at.dataframe[0].value["Headline"])
    hostile = [t for t in titles if t.startswith("Alert")]
    assert hostile and "onerror" not in hostile[0] and "<script" not in hostile[0]
    assert not at.markdown or all("<script" not in m.value for m in at.markdown)


def test_the_app_never_allows_raw_html() -> None:
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "radar" / "app").rglob("*.py")]
    assert not any("unsafe_allow_html=True" in text or "st.html(" in text for text in sources)


def test_feeds_page_shows_broken_feeds_first_in_japanese(filled) -> None:  # type: ignore[no-untyped-def]
    at = page("feeds", "ja").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["フィード"]) == ["Broken", "Good"]
    assert list(table["状態"]) == ["エラー", "正常"]
    assert "HTTP 500" in table["最後のエラー"].iloc[0]


def test_digest_page_previews_the_edition_digest(store: Path) -> None:
    at = page("digest", "ja").run()
    assert not at.exception
    week = at.selectbox(key="digest_week").value
    subject = [m.value for m in at.markdown if m.value.startswith("**件名:**")]
    assert subject and week in subject[0].replace("\\", "")
    assert at.text and "採用" in at.text[0].value
    assert not at.subheader  # the title is in the text once, not again as a heading
    at.selectbox(key="digest_lang").set_value("en").run()
    assert any("**件名:** Trend Radar digest" in m.value for m in at.markdown)
    assert [h.value for h in at.header] == ["ダイジェスト"]


def test_tagging_page_explains_a_guess_when_asked(store: Path) -> None:
    at = page("tagging").run()
    item = at.session_state["tag_queue"][1][0]["id"]
    before = len(at.caption)
    at.toggle(key=f"why_{item}").set_value(True).run()
    assert not at.exception
    shown = [c.value for c in at.caption]
    assert len(shown) == before + 1
    why = next(c for c in shown if "Rules say" in c)
    assert "Technologies:" in why and "Topic terms:" in why and "Models alone say" in why
    assert "Headline meaning says" in why


def test_technology_page_says_how_many_evidence_items_it_lists_and_shows_all(
    store: Path,
) -> None:
    at = page("tech")
    at.query_params["tech"] = "rpa"
    at.run()
    (metric,) = [m for m in at.metric if m.label.startswith("Evidence items")]
    total = int(metric.value)
    listed = len(at.dataframe[0].value)
    assert listed < total  # the edition keeps its strongest five
    assert any(f"Showing {listed} of {total}" in c.value for c in at.caption)
    at.toggle(key="evidence_all").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == total
    assert any(f"Showing {total} of {total}" in c.value for c in at.caption)
