"""Feeds page: health of every feed, broken ones first."""

from __future__ import annotations

import streamlit as st

from radar.app import data
from radar.app.i18n import t


def render(lang: str) -> None:
    """Draw the feed health table."""
    st.header(t("feed_health", lang))
    rows = data.feeds()
    if not rows:
        st.info(t("no_feeds", lang))
        return
    table = []
    for row in rows:
        status = "disabled" if not row["enabled"] else ("failing" if row["error_count"] else "ok")
        table.append(
            {
                t("feeds", lang): row["name"],
                t("status", lang): t(status, lang),
                t("last_success", lang): (row["last_success_at"] or "—").replace("T", " ")[:16],
                t("errors", lang): row["error_count"],
                t("next_due", lang): (row["next_due_at"] or "—").replace("T", " ")[:16],
                t("items", lang): row["item_count"],
                t("last_error", lang): row["disabled_reason"] or row["last_error"] or "",
            }
        )
    st.dataframe(table, hide_index=True)
