"""The Technology page shows a technology's adoption series beside its headline counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from radar.records import SeriesPoint
from radar.store.db import open_db
from radar.store.editions import edition_weeks
from radar.store.series import upsert_points
from tests.app.conftest import page

SO = "stackoverflow_questions_by_tag_year"


def _figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _no_demo_series(store: Path) -> None:
    """The demo store carries series of its own; these tests state exactly what is stored."""
    db = open_db(store)
    db.execute("DELETE FROM series")
    db.conn.commit()


def _tech_page(store: Path, tech_id: str, lang: str) -> AppTest:
    at = page("tech", lang)
    at.query_params.update({"tech": tech_id, "week": edition_weeks(open_db(store))[0]})
    return at.run()


def test_the_page_charts_each_source_of_the_technology_as_shares_or_counts(store: Path) -> None:
    _no_demo_series(store)
    upsert_points(
        open_db(store),
        [
            SeriesPoint(SO, "kubernetes", "2017", "2017-12-31", 900, 90000, 0.01),
            SeriesPoint(SO, "kubernetes", "2018", "2018-12-31", 1500, 100000, 0.015),
            SeriesPoint(SO, "line", "2018", "2018-12-31", 40, 100000, 0.0004),  # not LINE
            SeriesPoint("acme_<b>pulls</b>", "k8s", "2018-03", "2018-03-31", 7, None, None),
        ],
    )

    at = _tech_page(store, "kubernetes", "en")

    assert not at.exception, at.exception
    series = [f for f in _figures(at) if f["data"][0].get("name") in ("kubernetes", "k8s")]
    shares, counts = series  # adoption sources first; the unknown source last
    assert [(t["name"], t["y"]) for t in shares["data"]] == [("kubernetes", [0.01, 0.015])]
    assert shares["layout"]["yaxis"]["tickformat"].endswith("%")
    assert shares["layout"]["yaxis"]["title"]["text"] == "Share of the total"
    assert counts["layout"]["yaxis"]["title"]["text"] == "Count"
    labels = [m.value for m in at.markdown]
    assert "**Stack Overflow questions** · adoption" in labels
    assert any("acme" in label and "<b>" not in label for label in labels)
    assert not any("No adoption series" in info.value for info in at.info)

    line_app = _tech_page(store, "line-app", "en")  # Stack Overflow's "line" is not the app
    assert any("No adoption series for this technology yet" in i.value for i in line_app.info)


def test_without_series_the_page_says_how_to_get_them_in_japanese(store: Path) -> None:
    _no_demo_series(store)
    at = _tech_page(store, "kubernetes", "ja")

    assert not at.exception, at.exception
    assert any(
        "普及データはまだありません" in info.value and "radar import-series" in info.value
        for info in at.info
    )
    assert len(_figures(at)) == 2  # the headline counts and the ring history only
