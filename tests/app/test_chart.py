"""The radar figure: rings, one numbered marker per blip, numbers shared with the legend."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from radar import chart
from radar.staying.rings import RINGS
from radar.store.db import open_db
from radar.store.editions import edition_weeks, load_edition
from radar.taxonomy.load import load_taxonomy

TAXONOMY = load_taxonomy()


def _blip(tech_id: str, ring: str, score: float, movement: str = "unchanged",
          human: bool = False) -> dict[str, Any]:  # fmt: skip
    return {
        "tech_id": tech_id, "quadrant": TAXONOMY.tech(tech_id).quadrant, "ring": ring,
        "score": score, "movement": movement, "human": human, "evidence": {"items26": 7},
    }  # fmt: skip


SMALL = [
    _blip("kubernetes", "adopt", 0.9),
    _blip("aws", "adopt", 0.8, "moved in"),
    _blip("metaverse", "hold", 0.1, "moved out", human=True),
    _blip("ai", "trial", 0.6, "new"),
    _blip("rpa", "assess", 0.4),
]


@pytest.fixture(scope="module")
def edition(demo_store: Path) -> list[dict[str, Any]]:
    db = open_db(demo_store)
    blips = load_edition(db, edition_weeks(db)[0])
    db.close()
    return blips


def _points(figure: Any) -> dict[str, tuple[str, float, float, str, str]]:
    found = {}
    for trace in figure.data:
        if trace.customdata is None:
            continue
        for tech, text, x, y, symbol, hover in zip(
            trace.customdata, trace.text, trace.x, trace.y, trace.marker.symbol,
            trace.hovertext, strict=True,
        ):  # fmt: skip
            found[tech] = (text, x, y, symbol, hover)
    return found


def test_the_figure_has_four_rings_and_quadrant_dividers() -> None:
    figure = chart.radar_figure(SMALL, TAXONOMY, "en")
    circles = [s for s in figure.layout.shapes if s.type == "circle"]
    lines = [s for s in figure.layout.shapes if s.type == "line"]
    assert len(circles) == 4 and len(lines) == 4
    labels = {a.text for a in figure.layout.annotations}
    assert {"Adopt", "Trial", "Assess", "Hold"} <= labels
    assert {"採用", "試行", "評価", "保留"} <= {
        a.text for a in chart.radar_figure(SMALL, TAXONOMY, "ja").layout.annotations
    }


def test_one_marker_per_blip_numbered_like_the_legend(edition: list[dict[str, Any]]) -> None:
    figure = chart.radar_figure(edition, TAXONOMY, "ja")
    points = _points(figure)
    assert len(points) == len(edition)
    grouped = chart.legend(edition, TAXONOMY, "ja")
    listed = [entry for entries in grouped.values() for entry in entries]
    assert [entry.number for entry in listed] == list(range(1, len(edition) + 1))
    for entry in listed:
        assert points[entry.tech_id][0] == str(entry.number)
        assert entry.quadrant == TAXONOMY.tech(entry.tech_id).quadrant


def test_numbers_follow_quadrant_then_ring_then_score() -> None:
    numbers = chart.number_blips(SMALL, TAXONOMY)
    order = sorted(numbers, key=numbers.__getitem__)
    # ai-data first, then cloud (adopt by score), then services-work (assess before hold)
    assert order == ["ai", "kubernetes", "aws", "rpa", "metaverse"]


def test_a_filtered_view_keeps_the_edition_numbers() -> None:
    numbers = chart.number_blips(SMALL, TAXONOMY)
    points = _points(chart.radar_figure(SMALL[2:], TAXONOMY, "en", numbers))
    assert {tech: text for tech, (text, *_) in points.items()} == {
        tech: str(numbers[tech]) for tech in ("metaverse", "ai", "rpa")
    }


def test_rings_hold_their_blips_and_higher_scores_sit_nearer_the_centre() -> None:
    placed = {b.tech_id: b for b in chart.place_blips(SMALL, TAXONOMY, "en")}
    for blip in placed.values():
        radius = math.hypot(blip.x, blip.y)
        index = RINGS.index(blip.ring)
        assert chart.RING_EDGES[index] < radius < chart.RING_EDGES[index + 1]
    assert math.hypot(placed["kubernetes"].x, placed["kubernetes"].y) < math.hypot(
        placed["aws"].x, placed["aws"].y
    )


def test_blips_stay_in_their_quadrant_and_do_not_move_between_calls(
    edition: list[dict[str, Any]],
) -> None:
    first = chart.place_blips(edition, TAXONOMY, "en")
    assert first == chart.place_blips(list(reversed(edition)), TAXONOMY, "en")
    spans = {q.id: chart._quadrant_span(i, 4) for i, q in enumerate(TAXONOMY.quadrants)}
    for blip in first:
        angle = math.degrees(math.atan2(blip.y, blip.x)) % 360
        start, end = spans[blip.quadrant]
        assert start <= angle <= end or start <= angle + 360 <= end
    for a in first:
        for b in first:
            if a is not b:
                assert math.hypot(a.x - b.x, a.y - b.y) > 0.03


def test_markers_show_movement_and_human_decisions() -> None:
    figure = chart.radar_figure(SMALL, TAXONOMY, "en")
    points = _points(figure)
    assert points["ai"][3] == "star"
    assert points["aws"][3] == "triangle-up"
    assert points["metaverse"][3] == "triangle-down"
    assert points["kubernetes"][3] == "circle"
    widths = {}
    for trace in figure.data:
        if trace.customdata is not None:
            widths.update(zip(trace.customdata, trace.marker.line.width, strict=True))
    assert widths["metaverse"] > widths["kubernetes"]
    legend_names = {trace.name for trace in figure.data if trace.showlegend is not False}
    assert {"New", "Moved in", "Moved out", "Staff decision"} <= legend_names


def test_hover_names_ring_score_and_evidence() -> None:
    hover = _points(chart.radar_figure(SMALL, TAXONOMY, "en"))["kubernetes"][4]
    assert "Kubernetes" in hover and "Adopt" in hover and "0.90" in hover and "7" in hover
    hover_ja = _points(chart.radar_figure(SMALL, TAXONOMY, "ja"))["kubernetes"][4]
    assert "採用" in hover_ja and "根拠記事" in hover_ja


def test_the_figure_prints_black_on_white() -> None:
    layout = chart.radar_figure(SMALL, TAXONOMY, "en").layout
    assert layout.paper_bgcolor == "#ffffff" and layout.plot_bgcolor == "#ffffff"
    assert layout.font.color == "#000000"


def test_an_empty_edition_draws_an_empty_radar() -> None:
    figure = chart.radar_figure([], TAXONOMY, "en")
    assert _points(figure) == {}


def test_history_and_weekly_figures() -> None:
    history = [{"week": "2023-W01", "ring": "assess", "score": 0.4, "human": False},
               {"week": "2023-W02", "ring": "trial", "score": 0.6, "human": True}]  # fmt: skip
    figure = chart.ring_history_figure(history, "en")
    assert list(figure.data[0].y) == ["Assess", "Trial"]
    weekly = chart.weekly_figure([], [], [], "ja")
    assert weekly.data[0].name == "言及記事数"
