"""Draw a radar edition as a Plotly figure: 4 quadrants, 4 rings, numbered blips.

Pure: blips (as stored by :mod:`radar.store.editions`) and the taxonomy in, a figure out; no
Streamlit, no I/O, no clock, so the app and the digest draw the same picture.

Geometry. Rings are concentric, Adopt innermost, then Trial, Assess, Hold. Within a ring the
distance from the centre shows the score: blips are ranked by score within their ring across
all quadrants, the best nearest the centre and the lowest nearest the ring's outer edge, evenly
spaced by rank (so a cluster of similar scores still spreads out; equal scores sit level).
A technology's angle inside its quadrant comes from a hash of its id, so it stays put from
week to week; only when two blips would overlap is the later one (in numbering order) nudged
a little along the ring.

Blips are numbered in quadrant order, then ring, then score (highest first); the same numbers
head the per-quadrant legend (:func:`legend`). The figure is white with black text so it
prints legibly; symbols, not colours alone, carry movement.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go

from radar.labels import in_lang, movement_name, quadrant_name, ring_name, tech_name
from radar.staying.kind_labels import ring_suffix
from radar.staying.rings import RINGS
from radar.taxonomy.model import Taxonomy

RING_EDGES = (0.0, 0.45, 0.70, 0.87, 1.0)
"""Radius of each ring boundary, centre to rim (Adopt gets the most room for its blips)."""
QUADRANT_MARGIN_DEG = 7.0
LIMIT = 1.18
"""Half the drawn square: room outside the rim for the quadrant names in the corners."""
BLIP_GAP = 0.07
MARKER_SIZE = 22
STAR_SIZE = 30
QUADRANT_COLOURS = ("#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6")
"""Light fills (Colorbrewer Paired) so black numbers stay readable, also in greyscale."""

MOVEMENT_SYMBOLS = {
    "new": "star", "moved in": "triangle-up", "moved out": "triangle-down", "unchanged": "circle"
}  # fmt: skip
_WORDS = {
    "score": ("スコア", "Score"), "evidence": ("根拠記事（26週）", "Evidence items (26 weeks)"),
    "human": ("職員の判断", "Staff decision"), "mentions": ("言及記事数", "Mentions"),
    "sources": ("媒体数", "Sources"), "week": ("週", "Week"),
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


def _sort_key(blip: Mapping[str, Any], quadrant_order: Mapping[str, int]) -> tuple[Any, ...]:
    ring = RINGS.index(blip["ring"]) if blip["ring"] in RINGS else len(RINGS)
    return (quadrant_order[blip["quadrant"]], ring, -float(blip["score"]), blip["tech_id"])


def number_blips(blips: Iterable[Mapping[str, Any]], taxonomy: Taxonomy) -> dict[str, int]:
    """Number blips 1..n by quadrant, ring, then score; blips in unknown quadrants are left out.

    Number a whole edition once and pass the numbers to :func:`radar_figure` and
    :func:`legend`, so filtering the view never renumbers what staff have printed.
    """
    order = {q.id: i for i, q in enumerate(taxonomy.quadrants)}
    known = [b for b in blips if b["quadrant"] in order]
    ranked = sorted(known, key=lambda b: _sort_key(b, order))
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


def _ring_band(ring: str) -> tuple[float, float]:
    index = RINGS.index(ring) if ring in RINGS else len(RINGS) - 1
    inner, outer = RING_EDGES[index], RING_EDGES[index + 1]
    width = outer - inner
    low = 0.40 if index == 0 else 0.15  # keep Adopt's best away from the crowded centre
    return inner + width * low, outer - width * 0.15


def _ideal_radius(score: float, band: tuple[float, float], ring_scores: Sequence[float]) -> float:
    """Radius by rank among the ring's scores: best nearest the centre, ties level."""
    near, far = band
    above = sum(1 for other in ring_scores if other > score)
    share = 0.5 if len(ring_scores) < 2 else above / (len(ring_scores) - 1)
    return near + (far - near) * share


def _candidates(
    radius: float, angle: float, band: tuple[float, float], span: tuple[float, float]
) -> list[tuple[float, float]]:
    """Positions near the ideal one, closest first (moving along the ring before across it)."""
    low_angle, high_angle = span[0] + QUADRANT_MARGIN_DEG, span[1] - QUADRANT_MARGIN_DEG
    options: list[tuple[float, float, float]] = []
    for d_radius in (0.0, 0.03, -0.03, 0.06, -0.06):
        r = min(band[1], max(band[0], radius + d_radius))
        for step in range(0, 25):
            for sign in (1, -1) if step else (1,):
                a = angle + sign * step * 3.0
                if low_angle <= a <= high_angle:
                    cost = abs(math.radians(a - angle)) * r + 2 * abs(r - radius)
                    options.append((cost, r, a))
    options.sort()
    return [(r, a) for _, r, a in options]


def _shown_name(blip: Mapping[str, Any], taxonomy: Taxonomy, lang: str) -> str:
    """The name, with a threat's or policy's ring name or the thin marker after it."""
    return tech_name(taxonomy, blip["tech_id"], lang) + ring_suffix(blip, lang)


def place_blips(
    blips: Sequence[Mapping[str, Any]], taxonomy: Taxonomy, lang: str,
    numbers: Mapping[str, int] | None = None,
) -> list[PlacedBlip]:  # fmt: skip
    """Position every blip (in numbering order); deterministic for the same edition."""
    numbers = numbers if numbers is not None else number_blips(blips, taxonomy)
    order = {q.id: i for i, q in enumerate(taxonomy.quadrants)}
    ring_scores: dict[str, list[float]] = {}
    for blip in blips:
        ring_scores.setdefault(blip["ring"], []).append(float(blip["score"]))
    drawn = sorted(
        (b for b in blips if b["quadrant"] in order and b["tech_id"] in numbers),
        key=lambda b: numbers[b["tech_id"]],
    )
    placed: list[PlacedBlip] = []
    taken: list[tuple[float, float]] = []
    for blip in drawn:
        span = _quadrant_span(order[blip["quadrant"]], len(order))
        band = _ring_band(blip["ring"])
        radius = _ideal_radius(float(blip["score"]), band, ring_scores[blip["ring"]])
        usable = span[1] - span[0] - 2 * QUADRANT_MARGIN_DEG
        angle = span[0] + QUADRANT_MARGIN_DEG + usable * _hash_fraction(blip["tech_id"])
        x, y = radius * math.cos(math.radians(angle)), radius * math.sin(math.radians(angle))
        for r, a in _candidates(radius, angle, band, span):
            cx, cy = r * math.cos(math.radians(a)), r * math.sin(math.radians(a))
            if all(math.hypot(cx - ox, cy - oy) >= BLIP_GAP for ox, oy in taken):
                x, y = cx, cy
                break
        taken.append((x, y))
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
    return placed


def legend(
    blips: Sequence[Mapping[str, Any]], taxonomy: Taxonomy, lang: str,
    numbers: Mapping[str, int] | None = None,
) -> dict[str, list[PlacedBlip]]:  # fmt: skip
    """Blips per quadrant id (taxonomy order), in number order: the printed legend."""
    grouped: dict[str, list[PlacedBlip]] = {q.id: [] for q in taxonomy.quadrants}
    for blip in place_blips(blips, taxonomy, lang, numbers):
        grouped[blip.quadrant].append(blip)
    return grouped


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
    for index, ring in enumerate(RINGS):
        middle = (RING_EDGES[index] + RING_EDGES[index + 1]) / 2
        for y in (middle, -middle):
            fig.add_annotation(
                x=0, y=y, text=ring_name(ring, lang), showarrow=False,
                font={"size": 11, "color": "#000000"}, bgcolor="rgba(255,255,255,0.85)",
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

    Parameters
    ----------
    blips : stored edition rows (tech_id, quadrant, ring, score, movement, human, evidence).
    taxonomy : quadrant order and technology names.
    lang : "ja" or "en" for names and labels.
    numbers : tech id -> number from :func:`number_blips` over the whole edition (so a
        filtered view keeps the printed numbers); computed from ``blips`` when left out.
    title : optional heading, e.g. the edition's week.

    Returns
    -------
    A figure with one marker trace per quadrant (markers carry the number as text), plus
    legend-only traces explaining the movement symbols and the staff-decision outline.
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
    fig.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="markers", name=_word("human", lang), hoverinfo="skip",
            marker={"symbol": "circle", "size": 12, "color": "#ffffff",
                    "line": {"color": "#000000", "width": 3.5}},
        )
    )  # fmt: skip
    axis = {"visible": False, "range": [-LIMIT, LIMIT], "fixedrange": True}
    fig.update_layout(
        title={"text": html.escape(title), "font": {"color": "#000000"}} if title else None,
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", font={"color": "#000000"},
        xaxis=axis, yaxis={**axis, "scaleanchor": "x", "scaleratio": 1},
        height=760, margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02,
                "font": {"color": "#000000"}},
    )  # fmt: skip
    return fig


def weekly_figure(
    mondays: Sequence[date], mentions: Sequence[int], sources: Sequence[int], lang: str
) -> go.Figure:
    """Weekly mentions (bars) and distinct sources (line) of one technology."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=list(mondays), y=list(mentions), name=_word("mentions", lang),
                         marker={"color": "#7f9fbf"}))  # fmt: skip
    fig.add_trace(
        go.Scatter(x=list(mondays), y=list(sources), name=_word("sources", lang),
                   mode="lines", line={"color": "#000000", "width": 2}, yaxis="y2")
    )  # fmt: skip
    fig.update_layout(
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", font={"color": "#000000"},
        height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"title": _word("mentions", lang), "rangemode": "tozero", "gridcolor": "#dddddd"},
        yaxis2={"title": _word("sources", lang), "overlaying": "y", "side": "right",
                "rangemode": "tozero", "showgrid": False},
        legend={"orientation": "h", "y": 1.1},
    )  # fmt: skip
    return fig


def ring_history_figure(history: Sequence[Mapping[str, Any]], lang: str) -> go.Figure:
    """A technology's ring in every edition (``history`` rows: week, ring, score, human)."""
    fig = go.Figure()
    labels = [ring_name(r, lang) for r in RINGS]
    fig.add_trace(
        go.Scatter(
            x=[row["week"] for row in history],
            y=[ring_name(row["ring"], lang) for row in history],
            mode="lines+markers", line={"shape": "hv", "color": "#000000"},
            marker={"size": [11 if row["human"] else 7 for row in history],
                    "symbol": ["diamond" if row["human"] else "circle" for row in history],
                    "color": "#000000"},
            hovertext=[f"{row['week']}: {ring_name(row['ring'], lang)} · "
                       f"{_word('score', lang)} {float(row['score']):.2f}"
                       + (f" · {_word('human', lang)}" if row["human"] else "")
                       for row in history],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", font={"color": "#000000"},
        height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False,
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "type": "category",
               "range": [-0.5, len(labels) - 0.5], "gridcolor": "#dddddd"},
        xaxis={"type": "category", "title": _word("week", lang)},
    )  # fmt: skip
    return fig
