"""Items page: latest items, full-text search, filters, topic, technologies and scores."""

from __future__ import annotations

import streamlit as st

from radar.app import data, times
from radar.app.i18n import t
from radar.app.safe import web_link
from radar.errors import SearchError
from radar.labels import quadrant_name, tech_name
from radar.store.items import MAX_SEARCH_CHARS, MAX_SEARCH_TERMS, ItemQuery

PAGE_SIZE = 100


def render(lang: str) -> None:
    """Draw the items page."""
    st.header(t("items", lang))
    if data.item_count() == 0:
        st.info(t("empty_store", lang))
        return
    feeds = {row["id"]: row["name"] for row in data.feeds()}
    left, middle, right = st.columns([3, 1, 1.5])
    search = left.text_input(t("search", lang), key="items_search").strip()
    item_lang = middle.selectbox(
        t("lang_filter", lang), ["", "ja", "en"], key="items_lang",
        format_func=lambda code: t(f"lang_{code}", lang) if code else t("all", lang),
    )  # fmt: skip
    feed_id = right.selectbox(
        t("source", lang), ["", *feeds], key="items_feed",
        format_func=lambda fid: feeds.get(fid, fid) if fid else t("all", lang),
    )  # fmt: skip
    shown = st.session_state.setdefault("items_shown", PAGE_SIZE)
    query = ItemQuery(
        search=search or None, lang=item_lang or None, feed_id=feed_id or None, limit=shown + 1
    )
    try:
        rows = data.items(query)
    except SearchError:
        st.warning(t("search_too_big", lang, terms=MAX_SEARCH_TERMS, chars=MAX_SEARCH_CHARS))
        return
    if not rows:
        st.warning(t("no_match", lang))
        return
    st.caption(t("n_items", lang, n=f"{min(len(rows), shown)}{'+' if len(rows) > shown else ''}"))
    taxonomy = data.taxonomy()
    table = [
        {
            t("published", lang): times.shown(row["published"]),
            t("source", lang): row["source"],
            t("headline", lang): row["title"],
            t("topic", lang): quadrant_name(taxonomy, row["quadrant"], lang)
            if row["quadrant"] else "",
            t("technologies", lang): ", ".join(
                tech_name(taxonomy, tech, lang) for tech in row["techs"]
            ),
            t("topic_confidence", lang): row["quadrant_confidence"],
            t("relevance", lang): row["relevance"],
            t("sources_in_story", lang): row["story_sources"],
            t("link_column", lang): web_link(row["link"]),
        }
        for row in rows[:shown]
    ]  # fmt: skip
    st.dataframe(
        table, hide_index=True,
        column_config={
            t("link_column", lang): st.column_config.LinkColumn(),
            t("topic_confidence", lang): st.column_config.NumberColumn(format="%.2f"),
            t("relevance", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                                  format="%.2f"),
        },
    )  # fmt: skip
    if len(rows) > shown and st.button(t("show_more", lang)):
        st.session_state["items_shown"] = shown + PAGE_SIZE
        st.rerun()
