"""Technology page: where it sits and why, its weekly coverage, adoption and attention series
and ring history, the dated evidence, and (signed in) the form to confirm or override its ring
and a fad/standard verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from radar import chart
from radar.app import access, actions, background, data, nav, progress
from radar.app.i18n import t
from radar.app.safe import md, web_link
from radar.app.times import shown
from radar.errors import RadarError
from radar.labels import movement_name, quadrant_name, ring_name, tech_name
from radar.series.for_tech import SHARE, SourceSeries
from radar.staying.kind_labels import reason_line, shown_ring
from radar.staying.rings import RINGS

JOB_KEY = progress.EDITIONS
CHART_CONFIG = {"displayModeBar": False}


def _placement(blip: Mapping[str, Any], tech_id: str, week: str, lang: str) -> None:
    # A decision just recorded is in force before the background rebuild catches up: the
    # page shows the stored decision's ring, never the edition's stale one.
    decided = data.decision(tech_id, week)
    placed = {**blip, "ring": decided["ring"]} if decided else blip
    cols = st.columns(4)
    cols[0].metric(t("ring", lang), shown_ring(placed, lang))
    score = f"{blip['score']:.2f}"
    cols[1].metric(t("score", lang), score,
                   help=t("score_human_help", lang) if decided else None)  # fmt: skip
    cols[2].metric(t("movement", lang), movement_name(blip["movement"], lang))
    evidence = blip["evidence"]
    cols[3].metric(t("evidence_items", lang), evidence.get("items26", 0),
                   help=t("evidence_help", lang, sources=evidence.get("sources26", 0),
                          weeks=evidence.get("weeks26", 0)))  # fmt: skip
    if decided:
        st.caption(t("score_human", lang, score=score))
        st.warning(t("human_decision", lang, by=md(decided["decided_by"]),
                     at=shown(decided["decided_at"]),
                     week=decided["week"], comment=md(decided["comment"])))  # fmt: skip
    st.subheader(t("why_here", lang))
    for reason in blip["reasons"]:
        st.markdown(f"- {md(reason_line(reason, lang))}")
    if evidence.get("model"):
        kind = t(f"model_kind_{evidence['model']}", lang)
        st.caption(t("model_kind", lang, model=md(kind)))


EVIDENCE_MAX = 500  # "show all" lists at most this many (a year of heavy coverage)


def _evidence(blip: Mapping[str, Any], week: str, lang: str) -> None:
    """The edition's strongest items, and all of them on request ("5 of 47" never hides 42)."""
    st.subheader(t("evidence", lang))
    total = int(blip["evidence"].get("items26", 0))
    ids = tuple(blip["evidence"].get("items", []))
    if total > len(ids) and st.toggle(t("evidence_show_all", lang, total=total),
                                      key="evidence_all"):  # fmt: skip
        ids = tuple(data.tech_evidence(blip["tech_id"], week, min(total, EVIDENCE_MAX)))
    rows = data.items_by_id(ids)
    if not rows:
        st.caption(t("no_evidence", lang))
        return
    st.caption(t("evidence_shown", lang, shown=len(rows), total=max(total, len(rows))))
    st.dataframe(
        [{t("published", lang): shown(row["published"]),
          t("source", lang): row["source"], t("headline", lang): row["title"],
          t("link_column", lang): web_link(row["link"])} for row in rows],
        hide_index=True,
        column_config={t("link_column", lang): st.column_config.LinkColumn()},
    )  # fmt: skip


def _form_ring(tech_id: str, blip: Mapping[str, Any] | None, latest: str) -> None:
    """Point the ring box at the ring in force: the stored decision, else the edition's.

    Set through session state before the box is drawn, and again whenever the technology or
    its decision changes: a saved override shows its new ring at once, and another
    technology never inherits this one's choice.
    """
    decided = data.decision(tech_id, latest)
    ring = decided["ring"] if decided else (blip["ring"] if blip else "assess")
    if st.session_state.get("override_for") != (tech_id, ring):
        st.session_state["override_for"] = (tech_id, ring)
        st.session_state["override_ring"] = ring


def _override_form(tech_id: str, blip: Mapping[str, Any] | None, latest: str, lang: str) -> None:
    st.subheader(t("override", lang))
    user = access.writer(lang)
    if user is None:
        return
    saved = st.session_state.pop("override_saved", None)
    if saved:
        st.success(t("override_saved", lang, ring=ring_name(saved, lang)))
    _form_ring(tech_id, blip, latest)
    with st.form("override_form", clear_on_submit=True):
        ring = st.selectbox(t("ring", lang), RINGS, format_func=lambda r: ring_name(r, lang),
                            key="override_ring")  # fmt: skip
        comment = st.text_area(t("override_comment", lang), key="override_comment")
        st.caption(t("override_applies", lang, week=latest, user=md(user)))
        submitted = st.form_submit_button(t("override_save", lang))
    if not submitted:
        return
    if not comment.strip():
        st.error(t("override_needs_comment", lang))
        return
    try:
        actions.override_ring(tech_id, ring, comment.strip(), user, latest)
    except RadarError as exc:
        st.error(md(exc))
        return
    st.session_state["override_saved"] = ring
    st.session_state.pop("override_for", None)  # the cleared form points at it again
    if progress.launch(
        JOB_KEY, "editions", background.rebuild_editions(data.settings(), latest), lang
    ):
        st.rerun()


def _verdict(tech_id: str, lang: str) -> None:
    """Staff say whether the technology will last: a label the staying model learns from."""
    st.subheader(t("verdict", lang))
    current = data.tech_verdict(tech_id)
    if current:
        st.caption(t("verdict_current", lang, verdict=t(f"staying_{current['verdict']}", lang),
                     by=md(current["by"]), at=shown(current["at"])))  # fmt: skip
    user = access.writer(lang)
    if user is None:
        return
    st.caption(t("verdict_help", lang))
    cols = st.columns(2)
    for col, verdict in zip(cols, ("standard", "fad"), strict=True):
        chosen = bool(current) and current["verdict"] == verdict
        if col.button(t(f"staying_{verdict}", lang), key=f"verdict_{verdict}",
                      type="primary" if chosen else "secondary", width="stretch"):  # fmt: skip
            actions.tech_verdict(tech_id, verdict, user)
            st.rerun()


def _series_chart(found: SourceSeries, week: str, lang: str) -> None:
    kind = f" · {t(f'series_{found.info.evidence}', lang)}" if found.info else ""
    st.markdown(f"**{md(found.name(lang))}**{kind}")
    st.plotly_chart(
        chart.series_figure(
            [(line.term, line.period_ends, line.values) for line in found.lines],
            found.measure == SHARE, lang, selected=week,
        ),
        theme=None, key=f"tech_series_{found.source}", config=CHART_CONFIG,
    )  # fmt: skip


def _series(tech_id: str, week: str, lang: str) -> None:
    """The adoption and attention series beside the headline counts (do people use what the
    news talks about?): one chart per source, two a row, or how to get some."""
    st.subheader(t("series_heading", lang), help=t("series_help", lang))
    found = data.tech_series(tech_id)
    if not found:
        st.info(t("no_series", lang))
        return
    for start in range(0, len(found), 2):
        for column, source in zip(st.columns(2), found[start : start + 2], strict=False):
            with column:
                _series_chart(source, week, lang)


def render(lang: str) -> None:
    """Draw the technology page."""
    progress.settle()
    weeks = data.weeks()
    if not weeks:
        st.header(t("technology", lang))
        st.info(t("no_editions", lang))
        return
    taxonomy = data.taxonomy()
    names = {tech.id: tech_name(taxonomy, tech.id, lang) for tech in taxonomy.techs}
    options = sorted(names, key=lambda tech_id: names[tech_id].casefold())
    left, right = st.columns([2, 1])
    week = nav.choose("week", weeks, t("edition_week", lang), "tech_week", container=right)
    blips = {blip["tech_id"]: blip for blip in data.edition(week)}
    default = st.session_state.get("tech")
    if default not in names:
        st.session_state["tech"] = next(iter(blips), options[0])
    tech_id = nav.choose("tech", options, t("technology", lang), "tech_choice",
                         format_func=names.__getitem__, container=left)  # fmt: skip
    tech = taxonomy.tech(tech_id)
    st.header(names[tech_id])
    st.caption(f"{md(quadrant_name(taxonomy, tech.quadrant, lang))} · {week}")
    progress.outcome(JOB_KEY, lang)
    blip = blips.get(tech_id)
    if blip is None:
        st.info(t("not_placed", lang, week=week))
    else:
        _placement(blip, tech_id, week, lang)
    st.subheader(t("weekly_coverage", lang))
    weekly = data.tech_weekly(tech_id, week)
    st.plotly_chart(
        chart.weekly_figure([w[0] for w in weekly], [w[1] for w in weekly],
                            [w[2] for w in weekly], lang, selected=week),
        theme=None, key="tech_weekly", config=CHART_CONFIG,
    )  # fmt: skip
    _series(tech_id, week, lang)
    st.subheader(t("ring_history", lang))
    history = data.ring_history(tech_id)
    if history:
        st.plotly_chart(chart.ring_history_figure(history, lang, selected=week), theme=None,
                        key="tech_history", config=CHART_CONFIG)  # fmt: skip
    else:
        st.caption(t("never_placed", lang))
    if blip is not None:
        _evidence(blip, week, lang)
    _override_form(tech_id, blip, weeks[0], lang)
    _verdict(tech_id, lang)
