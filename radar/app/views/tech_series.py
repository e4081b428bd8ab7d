"""The Technology page's adoption and attention series: one chart per source, or how to get some.

Drawn beside the headline counts so staff can see whether people use what the news talks
about. The data and every rule come from :mod:`radar.series.for_tech`; this only draws.
"""

from __future__ import annotations

import streamlit as st

from radar import chart
from radar.app import data
from radar.app.i18n import t
from radar.app.safe import md
from radar.series.for_tech import SHARE, SourceSeries

CHART_CONFIG = {"displayModeBar": False}


def _chart(found: SourceSeries, week: str, lang: str) -> None:
    kind = f" · {t(f'series_{found.info.evidence}', lang)}" if found.info else ""
    st.markdown(f"**{md(found.name(lang))}**{kind}")
    st.plotly_chart(
        chart.series_figure(
            [(line.term, line.period_ends, line.values) for line in found.lines],
            found.measure == SHARE, lang, selected=week,
        ),
        theme=None, key=f"tech_series_{found.source}", config=CHART_CONFIG,
    )  # fmt: skip


def render(tech_id: str, week: str, lang: str) -> None:
    """Draw the technology's series, two charts a row, or the empty state."""
    st.subheader(t("series_heading", lang), help=t("series_help", lang))
    found = data.tech_series(tech_id)
    if not found:
        st.info(t("no_series", lang))
        return
    for start in range(0, len(found), 2):
        for column, source in zip(st.columns(2), found[start : start + 2], strict=False):
            with column:
                _chart(source, week, lang)
