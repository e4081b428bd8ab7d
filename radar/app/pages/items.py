"""Items page: latest items, full-text search, language filter."""

from __future__ import annotations

import streamlit as st

from radar.app import data
from radar.app.i18n import t
from radar.store.items import ItemQuery

PAGE_SIZE = 100


def render(lang: str) -> None:
    """Draw the items page."""
    st.header(t("items", lang))
    if data.item_count() == 0:
        st.info(t("empty_store", lang))
        return
    left, right = st.columns([3, 1])
    search = left.text_input(t("search", lang), key="items_search").strip()
    item_lang = right.selectbox(
        t("lang_filter", lang), ["", "ja", "en"], key="items_lang",
        format_func=lambda code: code or t("all", lang),
    )  # fmt: skip
    shown = st.session_state.setdefault("items_shown", PAGE_SIZE)
    rows = data.items(ItemQuery(search=search or None, lang=item_lang or None, limit=shown + 1))
    if not rows:
        st.warning(t("no_match", lang))
        return
    st.caption(t("n_items", lang, n=f"{min(len(rows), shown)}{'+' if len(rows) > shown else ''}"))
    table = [
        {
            t("published", lang): row["published"].replace("T", " ")[:16],
            t("source", lang): row["source"],
            t("headline", lang): row["title"],
            t("sources_in_story", lang): row["story_sources"],
            "link": row["link"],
        }
        for row in rows[:shown]
    ]
    st.dataframe(
        table, hide_index=True,
        column_config={"link": st.column_config.LinkColumn("link")},
    )  # fmt: skip
    if len(rows) > shown and st.button(t("show_more", lang)):
        st.session_state["items_shown"] = shown + PAGE_SIZE
        st.rerun()
