"""The radar figure: rings, one numbered marker per blip, numbers shared with the legend."""

from __future__ import annotations

import itertools
import math
from datetime import date
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


def test_numbers_follow_quadrant_then_technology_id() -> None:
    numbers = chart.number_blips(SMALL, TAXONOMY)
    order = sorted(numbers, key=numbers.__getitem__)
    # ai-data first, then cloud (by id), then services-work (by id), whatever the rings
    assert order == ["ai", "aws", "kubernetes", "metaverse", "rpa"]


def test_an_override_renumbers_nothing() -> None:
    before = chart.number_blips(CROWDED, TAXONOMY)
    moved = [{**b, "ring": "hold", "score": 0.01} if i == 5 else b for i, b in enumerate(CROWDED)]
    assert chart.number_blips(moved, TAXONOMY) == before
    numbers = {b.tech_id: b.number for b in chart.place_blips(moved, TAXONOMY, "ja")}
    assert numbers == before


def _crowded(per_quadrant: int, adopt: int) -> list[dict[str, Any]]:
    """A busy edition: ``per_quadrant`` blips in every quadrant, ``adopt`` of them in Adopt."""
    blips = []
    for quadrant in TAXONOMY.quadrants:
        ids = sorted(t.id for t in TAXONOMY.techs if t.quadrant == quadrant.id)[:per_quadrant]
        for i, tech_id in enumerate(ids):
            ring = "adopt" if i < adopt else RINGS[1 + (i - adopt) % 3]
            blips.append(_blip(tech_id, ring, (i * 37 % 100) / 100,
                               "new" if i % 5 == 0 else "unchanged", human=i % 7 == 0))  # fmt: skip
    return blips


CROWDED = _crowded(16, 12)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_crowded_edition_keeps_blips_apart_and_off_the_ring_labels(lang: str) -> None:
    placed = chart.place_blips(CROWDED, TAXONOMY, lang)
    assert len(placed) == 64
    for a, b in itertools.combinations(placed, 2):
        assert math.hypot(a.x - b.x, a.y - b.y) >= chart.MIN_DISTANCE - 1e-4, (a, b)
    marker_radius = chart.STAR_SIZE / 2 / chart.PX_PER_UNIT
    for box in chart.ring_label_boxes(lang):
        assert not [b.tech_id for b in placed if box.near(b.x, b.y, marker_radius)]


def test_the_ring_labels_are_drawn_in_their_boxes() -> None:
    figure = chart.radar_figure(CROWDED, TAXONOMY, "ja")
    labels = {(a.x, a.y): a.text for a in figure.layout.annotations if a.text in {"採用", "保留"}}
    boxes = chart.ring_label_boxes("ja")
    assert set(labels) == {(b.x, b.y) for b in (*boxes[:2], *boxes[-2:])}
    assert figure.layout.width == chart.SIZE_PX  # the size the spacing was worked out for


def test_the_demo_edition_keeps_blips_apart(edition: list[dict[str, Any]]) -> None:
    placed = chart.place_blips(edition, TAXONOMY, "ja")
    for a, b in itertools.combinations(placed, 2):
        assert math.hypot(a.x - b.x, a.y - b.y) >= chart.MIN_DISTANCE - 1e-4


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
    (human,) = [trace for trace in figure.data if trace.name == "Staff decision"]
    assert human.marker.symbol == "diamond"  # a drawn marker: no emoji font needed
    _, x, y, *_ = points["metaverse"]
    offset = chart.MARKER_SIZE / 2 / chart.PX_PER_UNIT  # on the blip's upper-right edge
    assert list(zip(human.x, human.y, strict=True)) == [pytest.approx((x + offset, y + offset))]
    assert "✋" not in figure.to_json()
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
    assert list(figure.data[0].x) == [date(2023, 1, 2), date(2023, 1, 9)]  # Mondays
    weekly = chart.weekly_figure([], [], [], "ja")
    assert weekly.data[0].name == "言及記事数"


@pytest.mark.parametrize(
    ("lang", "month"), [("ja", "%Y年%-m月"), ("en", "%b %Y")]
)  # fmt: skip
def test_time_axes_read_in_the_ui_language_and_grow_to_fit(lang: str, month: str) -> None:
    history = [{"week": "2022-W14", "ring": "assess", "score": 0.4, "human": False}]
    weekly = chart.weekly_figure([date(2022, 4, 4)], [12], [3], lang)
    rings = chart.ring_history_figure(history, lang)
    for figure in (weekly, rings):
        assert figure.layout.xaxis.tickformat == month
        assert figure.layout.xaxis.type == "date"
        assert figure.layout.xaxis.automargin and figure.layout.yaxis.automargin
    assert weekly.layout.yaxis2.automargin
    assert weekly.layout.yaxis.title.standoff and weekly.layout.yaxis2.title.standoff


def test_the_selected_week_is_marked_on_both_charts() -> None:
    history = [{"week": "2022-W14", "ring": "assess", "score": 0.4, "human": False},
               {"week": "2022-W15", "ring": "trial", "score": 0.6, "human": False}]  # fmt: skip
    for figure in (
        chart.weekly_figure([date(2022, 4, 4), date(2022, 4, 11)], [1, 2], [1, 1], "ja",
                            selected="2022-W15"),
        chart.ring_history_figure(history, "ja", selected="2022-W15"),
    ):  # fmt: skip
        (line,) = [s for s in figure.layout.shapes if s.type == "line"]
        assert line.x0 == line.x1 == date(2022, 4, 11)
        assert "表示中の週" in {a.text for a in figure.layout.annotations}
    unmarked = chart.ring_history_figure(history, "ja")
    assert not unmarked.layout.shapes


def test_the_sources_line_has_its_own_panel_below_the_mention_bars() -> None:
    weekly = chart.weekly_figure([date(2022, 4, 4), date(2022, 4, 11)], [12, 3], [3, 1], "en")
    bars, line = weekly.data
    assert bars.type == "bar" and line.yaxis == "y2"
    assert weekly.layout.yaxis2.overlaying is None  # not drawn over the bars
    assert weekly.layout.yaxis2.domain[1] < weekly.layout.yaxis.domain[0]
    assert weekly.layout.xaxis.anchor == "y2"  # the week axis under the lower panel
