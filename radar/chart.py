"""Draw a radar edition as a Plotly figure: 4 quadrants, 4 rings, numbered blips.

Pure: blips (as stored by :mod:`radar.store.editions`) and the taxonomy in, a figure out; no
Streamlit, no I/O, no clock, so the app and the digest draw the same picture.

Geometry. Rings are concentric, Adopt innermost, then Trial, Assess, Hold. Within a ring the
distance from the centre shows the score: blips are ranked by score within their ring across
all quadrants, the best nearest the centre. A technology's angle inside its quadrant comes from
a hash of its id, so it stays put from week to week. Each blip then takes the free position
nearest that ideal spot on a fine grid: at least MIN_DISTANCE (24 px at the drawn size) from
every other blip, clear of ring circles and quadrant dividers, and out of the ring labels'
boxes, which sit in a lane on the vertical axis. Markers are sized in pixels, so the figure is
drawn at a fixed size (SIZE_PX) for which that spacing holds.

Blips are numbered by quadrant, then technology id: an override or a new score moves a blip
but renumbers nothing. The same numbers head the per-quadrant legend (:func:`legend`). The
figure is white with black text so it prints legibly; symbols, not colours alone, carry
movement, and a small black diamond marks a staff decision (a marker, never an emoji).

The Technology page's charts use date axes with month ticks in the UI language (Plotly has no
Japanese locale loaded, so the d3 format spells 2022年4月), margins that grow to fit tick
labels and titles, and a line at the week being looked at.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go

from radar.labels import in_lang, movement_name, quadrant_name, ring_name, tech_name
from radar.staying.kind_labels import ring_suffix
from radar.staying.rings import RINGS
from radar.taxonomy.model import Taxonomy

RING_EDGES = (0.0, 0.5, 0.73, 0.87, 1.0)
"""Radius of each ring boundary, centre to rim (Adopt gets the most room for its blips)."""
LIMIT = 1.18
"""Half the drawn square: room outside the rim for the quadrant names in the corners."""
SIZE_PX = 600
"""The radar is drawn this many pixels square: markers are sized in pixels, so the spacing
below (in chart units) only guarantees non-overlapping blips at a known size."""
PX_PER_UNIT = (SIZE_PX - 20) / (2 * LIMIT)
MARKER_SIZE = 18
STAR_SIZE = 24
MIN_DISTANCE = 24 / PX_PER_UNIT
"""Least distance between two blip centres (24 px: an 18 px marker, a star, a gap)."""
EDGE_PAD = MIN_DISTANCE / 2
"""Least distance from a blip centre to a ring circle or a quadrant divider."""
GRID_STEP = 0.018
"""Spacing of the candidate positions a blip may take (chart units)."""
LABEL_FONT = 11
QUADRANT_COLOURS = ("#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6")
"""Light fills (Colorbrewer Paired) so black numbers stay readable, also in greyscale."""
HUMAN_SYMBOL = "diamond"
"""A staff decision is drawn as a small black diamond on the blip (a marker, not an emoji,
which the browser may lack a font for)."""

MOVEMENT_SYMBOLS = {
    "new": "star", "moved in": "triangle-up", "moved out": "triangle-down", "unchanged": "circle"
}  # fmt: skip
_WORDS = {
    "score": ("スコア", "Score"), "evidence": ("根拠記事（26週）", "Evidence items (26 weeks)"),
    "human": ("職員の判断", "Staff decision"), "mentions": ("言及記事数", "Mentions"),
    "sources": ("媒体数", "Sources"), "week": ("週", "Week"),
    "selected": ("表示中の週", "This week"),
}  # fmt: skip


def _word(key: str, lang: str) -> str:
    return in_lang(*_WORDS[key], lang)


@dataclass(frozen=True)
class PlacedBlip:
    """One blip as drawn: its number, names and position."""

    number: int
    tech_id: str
    name: str
    quadrant: str
    ring: str
    score: float
    movement: str
    human: bool
    evidence_count: int
    x: float
    y: float


def number_blips(blips: Iterable[Mapping[str, Any]], taxonomy: Taxonomy) -> dict[str, int]:
    """Number blips 1..n by quadrant, then technology id; blips in unknown quadrants are left out.

    Neither ring nor score enters the number, so an override (or a rescore) moves a blip
    without renumbering the others: what staff printed or said aloud stays right. Number a
    whole edition once and pass the numbers to :func:`radar_figure` and :func:`legend`, so
    filtering the view never renumbers either.
    """
    order = {q.id: i for i, q in enumerate(taxonomy.quadrants)}
    known = [b for b in blips if b["quadrant"] in order]
    ranked = sorted(known, key=lambda b: (order[b["quadrant"]], b["tech_id"]))
    return {blip["tech_id"]: number for number, blip in enumerate(ranked, 1)}


def _quadrant_span(index: int, count: int) -> tuple[float, float]:
    """Start and end angle (degrees) of a quadrant; with four, reading order on the page."""
    if count == 4:
        start = (90.0, 0.0, 180.0, 270.0)[index]
        return start, start + 90.0
    span = 360.0 / max(count, 1)
    return 90.0 + index * span, 90.0 + (index + 1) * span


def _hash_fraction(tech_id: str) -> float:
    digest = hashlib.sha256(tech_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _ring_index(ring: str) -> int:
    return RINGS.index(ring) if ring in RINGS else len(RINGS) - 1


def _ring_band(ring: str) -> tuple[float, float]:
    """Radii where a blip of this ring may sit: clear of both ring circles."""
    index = _ring_index(ring)
    return max(RING_EDGES[index] + EDGE_PAD, GRID_STEP), RING_EDGES[index + 1] - EDGE_PAD


def _ideal_radius(score: float, band: tuple[float, float], ring_scores: Sequence[float]) -> float:
    """Radius by rank among the ring's scores: best nearest the centre, ties level."""
    near, far = band
    if near < 0.1:  # Adopt: keep the best away from the crowded centre
        near = near + (far - near) * 0.35
    above = sum(1 for other in ring_scores if other > score)
    share = 0.5 if len(ring_scores) < 2 else above / (len(ring_scores) - 1)
    return near + (far - near) * share


def _text_width_px(text: str, size: int) -> float:
    """A generous estimate of a label's width: CJK glyphs are square, Latin about 0.62 em."""
    return sum(size if ord(char) >= 0x2E80 else size * 0.62 for char in text)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in chart units (centre and half sizes)."""

    x: float
    y: float
    half_width: float
    half_height: float

    def near(self, x: float, y: float, margin: float) -> bool:
        """Whether (x, y) lies within ``margin`` of the box (a square-cornered test)."""
        return abs(x - self.x) < self.half_width + margin and abs(y - self.y) < (
            self.half_height + margin
        )


def ring_label_boxes(lang: str) -> list[Box]:
    """Where the ring names sit: on the vertical axis above and below the centre, mid-ring.

    Blips are kept out of these boxes (:func:`place_blips`), so the axis is a free lane for
    the labels rather than a label drawn over whatever blip happened to land there.
    """
    boxes = []
    for index, ring in enumerate(RINGS):
        middle = (RING_EDGES[index] + RING_EDGES[index + 1]) / 2
        width = _text_width_px(ring_name(ring, lang), LABEL_FONT) + 8
        height = LABEL_FONT + 8
        for y in (middle, -middle):
            boxes.append(Box(0.0, y, width / 2 / PX_PER_UNIT, height / 2 / PX_PER_UNIT))
    return boxes


@lru_cache(maxsize=64)
def _slots(span: tuple[float, float], ring: str, lang: str) -> tuple[tuple[float, float], ...]:
    """Every position (x, y) a blip of ``ring`` may take in the quadrant ``span``: on a grid
    of GRID_STEP, clear of ring circles, quadrant dividers and ring labels."""
    low, high = _ring_band(ring)
    boxes = ring_label_boxes(lang)
    start, end = math.radians(span[0]), math.radians(span[1])
    found = []
    steps = max(int((high - low) / GRID_STEP), 0)
    for step in range(steps + 1):
        r = low + (high - low) * (step / steps if steps else 0.5)
        count = max(int(r * (end - start) / GRID_STEP), 1)
        for k in range(count + 1):
            a = start + (end - start) * k / count
            if r * math.sin(min(a - start, math.pi / 2)) < EDGE_PAD:
                continue
            if r * math.sin(min(end - a, math.pi / 2)) < EDGE_PAD:
                continue
            x, y = r * math.cos(a), r * math.sin(a)
            if any(box.near(x, y, EDGE_PAD) for box in boxes):
                continue
            found.append((x, y))
    return tuple(found)


def _shown_name(blip: Mapping[str, Any], taxonomy: Taxonomy, lang: str) -> str:
    """The name, with a threat's or policy's ring name or the thin marker after it."""
    return tech_name(taxonomy, blip["tech_id"], lang) + ring_suffix(blip, lang)


def place_blips(
    blips: Sequence[Mapping[str, Any]], taxonomy: Taxonomy, lang: str,
    numbers: Mapping[str, int] | None = None,
) -> list[PlacedBlip]:  # fmt: skip
    """Position every blip; deterministic for the same edition, returned in number order.

    Each blip has an ideal spot (radius by score rank in its ring, angle from a hash of its
    id, so it stays put from week to week) and takes the free grid position nearest to it,
    at least MIN_DISTANCE from every blip already placed. Blips are placed best first in each
    ring, so the strongest keep their ideal spots. Rings and dividers keep EDGE_PAD clear on
    both sides, so blips in different rings or quadrants are MIN_DISTANCE apart by
    construction. Only when a quadrant's ring is full does a blip take the roomiest spot left.
    """
    numbers = numbers if numbers is not None else number_blips(blips, taxonomy)
    order = {q.id: i for i, q in enumerate(taxonomy.quadrants)}
    ring_scores: dict[str, list[float]] = {}
    for blip in blips:
        ring_scores.setdefault(blip["ring"], []).append(float(blip["score"]))
    drawn = sorted(
        (b for b in blips if b["quadrant"] in order and b["tech_id"] in numbers),
        key=lambda b: (_ring_index(b["ring"]), -float(b["score"]), b["tech_id"]),
    )
    placed: list[PlacedBlip] = []
    taken: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for blip in drawn:
        span = _quadrant_span(order[blip["quadrant"]], len(order))
        band = _ring_band(blip["ring"])
        radius = _ideal_radius(float(blip["score"]), band, ring_scores[blip["ring"]])
        angle = math.radians(span[0] + (span[1] - span[0]) * _hash_fraction(blip["tech_id"]))
        ideal = (radius * math.cos(angle), radius * math.sin(angle))
        neighbours = taken.setdefault((blip["quadrant"], blip["ring"]), [])
        x, y = _nearest_free(ideal, radius, _slots(span, blip["ring"], lang), neighbours)
        neighbours.append((x, y))
        placed.append(
            PlacedBlip(
                number=numbers[blip["tech_id"]], tech_id=blip["tech_id"],
                name=_shown_name(blip, taxonomy, lang), quadrant=blip["quadrant"],
                ring=blip["ring"], score=float(blip["score"]), movement=blip["movement"],
                human=bool(blip["human"]),
                evidence_count=int((blip.get("evidence") or {}).get("items26", 0)),
                x=round(x, 5), y=round(y, 5),
            )
        )  # fmt: skip
    return sorted(placed, key=lambda b: b.number)


def _nearest_free(
    ideal: tuple[float, float], radius: float, slots: Sequence[tuple[float, float]],
    taken: Sequence[tuple[float, float]],
) -> tuple[float, float]:  # fmt: skip
    """The slot nearest ``ideal`` (a step across the ring costs twice one along it, to keep
    the score order) that is MIN_DISTANCE from all ``taken``; else the roomiest slot."""
    if not slots:
        return ideal

    def cost(slot: tuple[float, float]) -> float:
        across = abs(math.hypot(*slot) - radius)
        return math.hypot(slot[0] - ideal[0], slot[1] - ideal[1]) + across

    roomiest, room = slots[0], -1.0
    for slot in sorted(slots, key=cost):
        gap = min((math.hypot(slot[0] - ox, slot[1] - oy) for ox, oy in taken), default=9.0)
        if gap >= MIN_DISTANCE:
            return slot
        if gap > room:
            roomiest, room = slot, gap
    return roomiest


def legend(
    blips: Sequence[Mapping[str, Any]], taxonomy: Taxonomy, lang: str,
    numbers: Mapping[str, int] | None = None,
) -> dict[str, list[PlacedBlip]]:  # fmt: skip
    """Blips per quadrant id (taxonomy order), in number order: the printed legend."""
    grouped: dict[str, list[PlacedBlip]] = {q.id: [] for q in taxonomy.quadrants}
    for blip in place_blips(blips, taxonomy, lang, numbers):
        grouped[blip.quadrant].append(blip)
    return grouped


MARKS = {"new": "★", "moved in": "▲", "moved out": "▼"}
HUMAN_MARK = "◆"
"""The legend's text marks: geometric shapes every Japanese font has, unlike emoji."""


def _hover(blip: PlacedBlip, lang: str) -> str:
    lines = [
        f"<b>{blip.number}. {html.escape(blip.name)}</b>",
        f"{ring_name(blip.ring, lang)} · {_word('score', lang)} {blip.score:.2f}",
        f"{_word('evidence', lang)}: {blip.evidence_count}",
        movement_name(blip.movement, lang),
    ]
    if blip.human:
        lines.append(_word("human", lang))
    return "<br>".join(lines)


def _frame(fig: go.Figure, taxonomy: Taxonomy, lang: str) -> None:
    """Rings, quadrant dividers, ring and quadrant labels."""
    for edge in RING_EDGES[1:]:
        fig.add_shape(
            type="circle", x0=-edge, y0=-edge, x1=edge, y1=edge,
            line={"color": "#555555", "width": 1.5 if edge == RING_EDGES[-1] else 1},
            layer="below",
        )  # fmt: skip
    count = len(taxonomy.quadrants)
    for index in range(count):
        angle = math.radians(_quadrant_span(index, count)[0])
        fig.add_shape(
            type="line", x0=0, y0=0, x1=math.cos(angle), y1=math.sin(angle),
            line={"color": "#555555", "width": 1}, layer="below",
        )  # fmt: skip
    for ring, box in zip((r for r in RINGS for _ in (0, 1)), ring_label_boxes(lang), strict=True):
        fig.add_annotation(
            x=box.x, y=box.y, text=ring_name(ring, lang), showarrow=False,
            font={"size": LABEL_FONT, "color": "#000000"}, bgcolor="#ffffff",
        )  # fmt: skip
    for index, quadrant in enumerate(taxonomy.quadrants):
        start, end = _quadrant_span(index, count)
        angle = math.radians((start + end) / 2)
        right, top = math.cos(angle) >= 0, math.sin(angle) >= 0
        fig.add_annotation(
            x=LIMIT if right else -LIMIT, y=LIMIT - 0.03 if top else -LIMIT + 0.03,
            showarrow=False, xanchor="right" if right else "left",
            yanchor="top" if top else "bottom", font={"size": 14, "color": "#000000"},
            text=f"<b>{html.escape(quadrant_name(taxonomy, quadrant.id, lang))}</b>",
        )  # fmt: skip


def radar_figure(
    blips: Sequence[Mapping[str, Any]], taxonomy: Taxonomy, lang: str,
    numbers: Mapping[str, int] | None = None, title: str | None = None,
) -> go.Figure:  # fmt: skip
    """Draw an edition: one numbered marker per blip, ``customdata`` holding its tech id.

    ``numbers`` come from :func:`number_blips` over the whole edition, so a filtered view keeps
    the printed numbers. Legend-only traces explain the movement symbols and staff decisions.
    """
    fig = go.Figure()
    _frame(fig, taxonomy, lang)
    placed = place_blips(blips, taxonomy, lang, numbers)
    for index, quadrant in enumerate(taxonomy.quadrants):
        mine = [b for b in placed if b.quadrant == quadrant.id]
        if not mine:
            continue
        fig.add_trace(
            go.Scatter(
                x=[b.x for b in mine], y=[b.y for b in mine], mode="markers+text",
                text=[str(b.number) for b in mine], textposition="middle center",
                textfont={"size": 10, "color": "#000000"},
                customdata=[b.tech_id for b in mine],
                hovertext=[_hover(b, lang) for b in mine],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "size": [STAR_SIZE if b.movement == "new" else MARKER_SIZE for b in mine],
                    "symbol": [MOVEMENT_SYMBOLS.get(b.movement, "circle") for b in mine],
                    "color": QUADRANT_COLOURS[index % len(QUADRANT_COLOURS)],
                    "line": {"color": "#000000",
                             "width": [3.5 if b.human else 1 for b in mine]},
                },
                name=quadrant_name(taxonomy, quadrant.id, lang), showlegend=False,
            )
        )  # fmt: skip
    for movement, symbol in MOVEMENT_SYMBOLS.items():
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", name=movement_name(movement, lang),
                marker={"symbol": symbol, "size": 12, "color": "#ffffff",
                        "line": {"color": "#000000", "width": 1}},
                hoverinfo="skip",
            )
        )  # fmt: skip
    human = [b for b in placed if b.human]
    offset = (MARKER_SIZE / 2) / PX_PER_UNIT
    fig.add_trace(
        go.Scatter(
            x=[b.x + offset for b in human] or [None], y=[b.y + offset for b in human] or [None],
            mode="markers", name=_word("human", lang), hoverinfo="skip",
            marker={"symbol": HUMAN_SYMBOL, "size": 9, "color": "#000000",
                    "line": {"color": "#ffffff", "width": 1}},
        )
    )  # fmt: skip
    axis = {"visible": False, "range": [-LIMIT, LIMIT], "fixedrange": True}
    top, bottom = (40 if title else 10), 40
    fig.update_layout(
        title={"text": html.escape(title), "font": {"color": "#000000"}} if title else None,
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", font={"color": "#000000"},
        xaxis=axis, yaxis={**axis, "scaleanchor": "x", "scaleratio": 1},
        width=SIZE_PX, height=SIZE_PX - 20 + top + bottom,
        margin={"l": 10, "r": 10, "t": top, "b": bottom, "autoexpand": False},
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top",
                "font": {"color": "#000000"}},
        clickmode="event+select", dragmode=False,
    )  # fmt: skip
    return fig


MONTH_FORMAT = {"ja": "%Y年%-m月", "en": "%b %Y"}
"""Date-axis ticks in the UI language (d3 formats; Plotly has no Japanese month names)."""
DAY_FORMAT = {"ja": "%Y年%-m月%-d日", "en": "%d %b %Y"}
SELECTED_COLOUR = "#d62728"


def _monday(week: str) -> date | None:
    """The Monday of an ISO week label such as 2023-W07 (None for anything else)."""
    try:
        return date.fromisocalendar(int(week[:4]), int(week.split("W")[1]), 1)
    except (ValueError, IndexError):
        return None


def _date_axis(lang: str, title: str) -> dict[str, Any]:
    return {
        "type": "date", "tickformat": MONTH_FORMAT.get(lang, MONTH_FORMAT["en"]),
        "hoverformat": DAY_FORMAT.get(lang, DAY_FORMAT["en"]), "automargin": True,
        "title": {"text": title, "standoff": 8}, "nticks": 6, "gridcolor": "#eeeeee",
    }  # fmt: skip


def _mark_week(fig: go.Figure, monday: date | None, lang: str) -> None:
    """A dashed vertical line at the week being looked at, labelled as such."""
    if monday is None:
        return
    fig.add_shape(
        type="line", xref="x", yref="paper", x0=monday, x1=monday, y0=0, y1=1,
        line={"color": SELECTED_COLOUR, "width": 2, "dash": "dash"},
    )  # fmt: skip
    fig.add_annotation(
        x=monday, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
        text=_word("selected", lang), font={"size": 11, "color": SELECTED_COLOUR},
    )  # fmt: skip


def _chart_layout(height: int) -> dict[str, Any]:
    """White, black text, and margins Plotly grows to fit tick labels and axis titles."""
    return {
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "font": {"color": "#000000"},
        "height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10, "autoexpand": True},
    }  # fmt: skip


def weekly_figure(
    mondays: Sequence[date], mentions: Sequence[int], sources: Sequence[int], lang: str,
    selected: str | None = None,
) -> go.Figure:  # fmt: skip
    """Weekly mentions (bars, upper panel) and distinct sources (line, lower panel).

    Two panels on one week axis rather than a line over the bars: drawn on top of each other
    the line hid the bars it crossed. ``selected`` is the ISO week being looked at (e.g.
    2023-W40), marked with a line through both panels.
    """
    fig = go.Figure()
    fig.add_trace(go.Bar(x=list(mondays), y=list(mentions), name=_word("mentions", lang),
                         marker={"color": "#7f9fbf"}))  # fmt: skip
    fig.add_trace(
        go.Scatter(x=list(mondays), y=list(sources), name=_word("sources", lang),
                   mode="lines", line={"color": "#000000", "width": 2, "shape": "hv"},
                   yaxis="y2")
    )  # fmt: skip
    _mark_week(fig, _monday(selected) if selected else None, lang)
    value_axis = {"rangemode": "tozero", "automargin": True, "tickformat": ",d",
                  "title": {"standoff": 10}}  # fmt: skip
    fig.update_layout(
        **_chart_layout(380),
        xaxis={**_date_axis(lang, _word("week", lang)), "anchor": "y2"},
        yaxis={**value_axis, "title": {"text": _word("mentions", lang), "standoff": 10},
               "gridcolor": "#dddddd", "domain": [0.4, 1]},
        yaxis2={**value_axis, "title": {"text": _word("sources", lang), "standoff": 10},
                "domain": [0, 0.3], "anchor": "x", "gridcolor": "#dddddd", "nticks": 4},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "xanchor": "left"},
    )  # fmt: skip
    return fig


_SERIES_WORDS = {
    "share": ("全体に占める割合", "Share of the total"), "count": ("件数", "Count"),
    "period": ("期間", "Period"),
}  # fmt: skip
SERIES_COLOURS = ("#000000", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
SERIES_DASHES = ("solid", "dash", "dot", "dashdot")


def series_figure(
    lines: Sequence[tuple[str, Sequence[str], Sequence[float]]], share: bool,
    lang: str, selected: str | None = None,
) -> go.Figure:  # fmt: skip
    """One source's series of a technology (the page names the source): a line per term.

    ``lines`` are (term, ISO period ends, values); ``share`` draws the values as percentages
    of the source's total, else as counts. Terms come from imported files, so they are
    escaped before Plotly reads them as HTML. Colour and dash both tell lines apart, so the
    chart prints in greyscale.
    """
    fig = go.Figure()
    for index, (term, ends, values) in enumerate(lines):
        fig.add_trace(
            go.Scatter(
                x=[date.fromisoformat(end) for end in ends], y=list(values),
                name=html.escape(term), mode="lines+markers", marker={"size": 5},
                line={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)], "width": 2,
                      "dash": SERIES_DASHES[index // len(SERIES_COLOURS) % len(SERIES_DASHES)]},
                hovertemplate="%{y:" + (".3~%" if share else ",.0f") + "}",
            )
        )  # fmt: skip
    _mark_week(fig, _monday(selected) if selected else None, lang)
    measure = in_lang(*_SERIES_WORDS["share" if share else "count"], lang)
    fig.update_layout(
        **_chart_layout(300), showlegend=True,
        # Series charts sit two to a row: fewer month ticks, so none collide at 1024 px.
        xaxis={**_date_axis(lang, in_lang(*_SERIES_WORDS["period"], lang)), "nticks": 3},
        yaxis={"rangemode": "tozero", "automargin": True, "gridcolor": "#dddddd",
               "tickformat": ".2~%" if share else ",d", "title": {"text": measure, "standoff": 10}},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "xanchor": "left"},
    )  # fmt: skip
    return fig


def ring_history_figure(
    history: Sequence[Mapping[str, Any]], lang: str, selected: str | None = None
) -> go.Figure:
    """A technology's ring in every edition (``history`` rows: week, ring, score, human).

    Weeks are drawn at their Mondays on a date axis (month ticks in the UI language), so a
    long history stays legible; ``selected`` (an ISO week) is marked with a line.
    """
    fig = go.Figure()
    labels = [ring_name(r, lang) for r in RINGS]
    rows = [row for row in history if _monday(str(row["week"])) is not None]
    fig.add_trace(
        go.Scatter(
            x=[_monday(str(row["week"])) for row in rows],
            y=[ring_name(row["ring"], lang) for row in rows],
            mode="lines+markers", line={"shape": "hv", "color": "#000000"},
            marker={"size": [11 if row["human"] else 7 for row in rows],
                    "symbol": [HUMAN_SYMBOL if row["human"] else "circle" for row in rows],
                    "color": "#000000"},
            hovertext=[f"{row['week']}: {ring_name(row['ring'], lang)} · "
                       f"{_word('score', lang)} {float(row['score']):.2f}"
                       + (f" · {_word('human', lang)}" if row["human"] else "")
                       for row in rows],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )  # fmt: skip
    _mark_week(fig, _monday(selected) if selected else None, lang)
    fig.update_layout(
        **_chart_layout(280), showlegend=False,
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "type": "category",
               "range": [-0.5, len(labels) - 0.5], "gridcolor": "#dddddd",
               "automargin": True, "ticklabelstandoff": 6},
        xaxis=_date_axis(lang, _word("week", lang)),
    )  # fmt: skip
    return fig
