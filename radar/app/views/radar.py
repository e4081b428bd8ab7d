"""Radar page: one edition as a chart with a numbered legend per quadrant, and filters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from radar import chart
from radar.app import data, nav
from radar.app.i18n import t
from radar.app.safe import md
from radar.labels import movement_name, quadrant_name, ring_name, tech_name
from radar.staying.kind_labels import shown_ring
from radar.staying.rings import RINGS

MOVE_MARKS = {**chart.MARKS, "unchanged": ""}
LEGEND_PX = 360  # two quadrant lists side by side; narrower and the legend goes below


def keep(
    blips: Sequence[Mapping[str, Any]], signals: Mapping[str, Mapping[str, Any]],
    quadrant: str, ring: str, min_relevance: float, item_lang: str,
) -> list[Mapping[str, Any]]:  # fmt: skip
    """The blips passing the view filters ("" means any)."""
    none = {"relevance": 0.0, "langs": []}
    return [
        blip
        for blip in blips
        if (not quadrant or blip["quadrant"] == quadrant)
        and (not ring or blip["ring"] == ring)
        and (signal := signals.get(blip["tech_id"], none))["relevance"] >= min_relevance
        and (not item_lang or item_lang in signal["langs"])
    ]


def _filters(lang: str, weeks: list[str]) -> tuple[str, str, str, float, str]:
    taxonomy = data.taxonomy()
    cols = st.columns([1.2, 1.6, 1, 1.4, 1])
    week = nav.choose("week", weeks, t("edition_week", lang), "radar_week", container=cols[0])
    quadrant = cols[1].selectbox(
        t("quadrant", lang), ["", *(q.id for q in taxonomy.quadrants)], key="radar_quadrant",
        format_func=lambda q: quadrant_name(taxonomy, q, lang) if q else t("all", lang),
    )  # fmt: skip
    ring = cols[2].selectbox(
        t("ring", lang), ["", *RINGS], key="radar_ring",
        format_func=lambda r: ring_name(r, lang) if r else t("all", lang),
    )  # fmt: skip
    relevance = cols[3].slider(
        t("min_relevance", lang), 0.0, 1.0, 0.0, 0.05, key="radar_relevance",
        help=t("min_relevance_help", lang),
    )  # fmt: skip
    item_lang = nav.choose_lang(cols[4], t("coverage_lang", lang), "radar_lang", lang)
    return week, quadrant, ring, relevance, item_lang


def _changes(blips: Sequence[Mapping[str, Any]], numbers: Mapping[str, int], lang: str) -> None:
    taxonomy = data.taxonomy()
    moved = [b for b in blips if b["movement"] != "unchanged"]
    with st.expander(t("changes", lang, n=len(moved)), expanded=False):
        if not moved:
            st.caption(t("no_changes", lang))
        for blip in sorted(moved, key=lambda b: numbers.get(b["tech_id"], 0)):
            name = tech_name(taxonomy, blip["tech_id"], lang)
            st.markdown(
                f"{numbers.get(blip['tech_id'], '')}. **{md(name)}**: "
                f"{md(movement_name(blip['movement'], lang))} → "
                f"{md(shown_ring(blip, lang))}"
            )


def _legend(
    shown: Sequence[Mapping[str, Any]], numbers: Mapping[str, int], week: str, lang: str
) -> None:
    """Per quadrant, two by two as on the chart beside it: numbered names, ring by ring."""
    taxonomy = data.taxonomy()
    grouped = chart.legend(shown, taxonomy, lang, numbers)
    quadrants = list(taxonomy.quadrants)
    for row in range(0, len(quadrants), 2):
        for column, quadrant in zip(st.columns(2), quadrants[row : row + 2], strict=False):
            box = column.container(gap=None)  # a tight list: 60 names beside a 700 px chart
            box.markdown(f"**{md(quadrant_name(taxonomy, quadrant.id, lang))}**")
            entries = grouped.get(quadrant.id, [])
            if not entries:
                box.caption(t("none_shown", lang))
            for ring in RINGS:
                in_ring = [e for e in entries if e.ring == ring]
                if not in_ring:
                    continue
                box.caption(ring_name(ring, lang))
                for entry in in_ring:
                    marks = MOVE_MARKS.get(entry.movement, "") + (
                        f" {chart.HUMAN_MARK}" if entry.human else ""
                    )
                    label = f"{entry.number}. {md(entry.name)} {marks}".rstrip()
                    if box.button(label, key=f"legend_{entry.tech_id}", type="tertiary",
                                  help=f"{md(entry.name)} · {ring_name(entry.ring, lang)} · "
                                  f"{movement_name(entry.movement, lang)} · "
                                  f"{entry.score:.2f}"):  # fmt: skip
                        nav.open_tech(entry.tech_id, week)


def render(lang: str) -> None:
    """Draw the radar page."""
    st.header(t("radar", lang))
    weeks = data.weeks()
    if not weeks:
        st.info(t("no_editions", lang))
        return
    week, quadrant, ring, relevance, item_lang = _filters(lang, weeks)
    linked = nav.query_value("tech")
    if linked:
        nav.open_tech(linked, week)
    taxonomy = data.taxonomy()
    blips = data.edition(week)
    numbers = chart.number_blips(blips, taxonomy)
    # The signals need one pass over the weekly aggregates: only when those filters are used.
    signals = data.tech_signals(week) if relevance > 0 or item_lang else {}
    shown = keep(blips, signals, quadrant, ring, relevance, item_lang)
    st.caption(t("radar_caption", lang, shown=len(shown), total=len(blips), week=week))
    # Chart and legend side by side where they fit, else the legend below: the chart keeps
    # chart.SIZE_PX, the spacing its blips were placed for (in fixed columns a 1024 px window
    # shrank it to half that), and the legend lists the same numbers per quadrant.
    row = st.container(horizontal=True, gap="small", key="radar_row")
    left = row.container(width=chart.SIZE_PX, key="radar_chart_box")
    right = row.container(width=LEGEND_PX, key="radar_legend_box")
    with left:
        event = st.plotly_chart(
            chart.radar_figure(shown, taxonomy, lang, numbers, title=week),
            key="radar_chart", on_select="rerun", selection_mode="points", theme=None,
            width="content", config={"displayModeBar": False},
        )  # fmt: skip
    picked = clicked_tech(event.selection.points if event else [])
    if picked:
        nav.open_tech(picked, week)  # keeps the UI language in the link (nav.open_tech)
    with right:
        _legend(shown, numbers, week, lang)
    _changes(blips, numbers, lang)


def clicked_tech(points: Sequence[Mapping[str, Any]]) -> str | None:
    """The technology of the first clicked blip (its ``customdata``); None for the frame,
    the staff-decision diamonds or the symbol key, which carry none."""
    for point in points:
        picked = point.get("customdata")
        if isinstance(picked, list):
            picked = picked[0] if picked else None
        if picked:
            return str(picked)
    return None
