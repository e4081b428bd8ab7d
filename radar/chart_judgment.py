"""Charts of the radar's judgment: a reliability diagram and the ring mix of every edition.

A staff member asks two things of a radar before trusting it: when it said 80%, did eight in
ten last (the diagram against its diagonal), and does it use all four rings or only two (the
ring mix over the editions). Both are drawn from the library's track record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import plotly.graph_objects as go

from radar.labels import in_lang, ring_name
from radar.staying.rings import RINGS

RING_COLOURS = {"adopt": "#1a9850", "trial": "#91cf60", "assess": "#fee08b", "hold": "#d73027"}
_WORDS = {
    "predicted": ("公表したスコア（1年後も標準の確率）", "Published score (P standard in a year)"),
    "observed": ("実際に1年後も標準だった割合", "Share that was still a standard a year on"),
    "ideal": ("理想（スコアどおり）", "Ideal (as scored)"),
    "radar": ("このレーダー", "This radar"),
    "week": ("版（週）", "Edition (week)"),
    "blips": ("技術の数", "Technologies"),
    "n": ("件数", "count"),
}  # fmt: skip


def _word(key: str, lang: str) -> str:
    return in_lang(*_WORDS[key], lang)


def reliability_figure(points: Iterable[Mapping[str, float]], lang: str) -> go.Figure:
    """Observed share against published score per bin, with the diagonal; marker size = count."""
    rows = list(points)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[0, 1], y=[0, 1], mode="lines", name=_word("ideal", lang),
            line={"color": "#888", "dash": "dash"}, hoverinfo="skip",
        )
    )  # fmt: skip
    counts = [r["n"] for r in rows]
    biggest = max(counts, default=1)
    figure.add_trace(
        go.Scatter(
            x=[r["predicted"] for r in rows], y=[r["observed"] for r in rows],
            mode="lines+markers", name=_word("radar", lang), customdata=counts,
            marker={"size": [8 + 22 * (n / biggest) ** 0.5 for n in counts], "color": "#1f77b4"},
            hovertemplate=f"%{{x:.0%}} → %{{y:.0%}} ({_word('n', lang)} %{{customdata}})"
            "<extra></extra>",
        )
    )  # fmt: skip
    figure.update_layout(
        xaxis={"title": _word("predicted", lang), "range": [0, 1], "tickformat": ".0%"},
        yaxis={"title": _word("observed", lang), "range": [0, 1], "tickformat": ".0%"},
        height=420, margin={"l": 80, "r": 20, "t": 20, "b": 70},
        legend={"orientation": "h", "y": -0.25},
    )  # fmt: skip
    return figure


def ring_mix_figure(counts: Iterable[tuple[str, str, int]], lang: str) -> go.Figure:
    """Blips per ring in each edition, stacked: a radar that uses two rings shows two bands."""
    by_ring: dict[str, dict[str, int]] = {ring: {} for ring in RINGS}
    weeks: list[str] = []
    for week, ring, n in counts:
        if not weeks or weeks[-1] != week:
            weeks.append(week)
        by_ring.setdefault(ring, {})[week] = n
    figure = go.Figure()
    for ring in RINGS:
        figure.add_trace(
            go.Bar(
                x=weeks, y=[by_ring[ring].get(w, 0) for w in weeks], name=ring_name(ring, lang),
                marker={"color": RING_COLOURS[ring], "line": {"width": 0}},
            )
        )  # fmt: skip
    figure.update_layout(
        barmode="stack", bargap=0, height=360,
        xaxis={"title": _word("week", lang), "type": "category", "nticks": 12},
        yaxis={"title": _word("blips", lang)},
        margin={"l": 70, "r": 20, "t": 20, "b": 70}, legend={"orientation": "h", "y": -0.3},
    )  # fmt: skip
    return figure
