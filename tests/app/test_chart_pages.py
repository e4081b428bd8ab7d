"""The radar and Technology pages as staff see their charts (AppTest on the demo store)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from radar.app.views.radar import clicked_tech
from radar.store.db import open_db
from radar.store.editions import edition_weeks
from tests.app.conftest import page


def _figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_legend_sits_beside_the_chart_with_drawn_marks(store: Path) -> None:
    at = page("radar", "ja").run()
    assert not at.exception, at.exception
    (figure,) = _figures(at)
    assert figure["layout"]["width"] == 600
    # The chart (at its full 600 px) and the legend share one wrapping row: beside each other
    # where both fit, the legend below in a narrow window (a 1024 px window used to shrink the
    # chart in a fixed column instead).
    (row,) = [b for b in at.main.children.values()
              if getattr(b.proto, "id", "").endswith("-radar_row")]  # fmt: skip
    assert row.proto.flex_container.wrap
    chart_box, legend_box = row.children.values()
    assert chart_box.get("plotly_chart") and not legend_box.get("plotly_chart")
    assert chart_box.proto.width_config.pixel_width == 600
    assert any(b.key.startswith("legend_") for b in legend_box.button)
    labels = [b.label for b in at.button if b.key and b.key.startswith("legend_")]
    numbers = sorted(int(label.split(".")[0]) for label in labels)
    assert numbers == list(range(1, len(labels) + 1))
    assert not any("✋" in label for label in labels)
    assert any("◆ 職員の判断" in caption.value for caption in at.caption)
    assert not any("✋" in caption.value for caption in at.caption)


def test_a_clicked_blip_names_its_technology() -> None:
    assert clicked_tech([{"curve_number": 5, "x": 0.1}, {"customdata": "kubernetes"}]) == (
        "kubernetes"
    )
    assert clicked_tech([{"customdata": ["rpa"]}]) == "rpa"
    assert clicked_tech([{"x": 0.2, "y": 0.3}]) is None
    assert clicked_tech([]) is None


def test_technology_charts_speak_japanese_and_mark_the_week(store: Path) -> None:
    week = edition_weeks(open_db(store))[2]
    at = page("tech", "ja")
    at.query_params.update({"tech": "rpa", "week": week})
    at.run()
    assert not at.exception, at.exception
    figures = _figures(at)
    weekly, rings = figures[0], figures[-1]  # the series charts sit between them
    monday = date.fromisocalendar(int(week[:4]), int(week.split("W")[1]), 1).isoformat()
    for figure in (weekly, rings):
        assert figure["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"
        assert figure["layout"]["yaxis"]["automargin"] is True
        (line,) = figure["layout"]["shapes"]
        assert line["x0"] == monday
    assert rings["layout"]["yaxis"]["categoryarray"] == ["保留", "評価", "試行", "採用"]
