"""Items page: every stored item, searched and filtered, a page at a time.

Staff scan this table, so the columns they read (headline, where a search hit, date, source,
technologies) come first, the table is as tall as its rows (no scroll box inside the page),
and the count is the real number of matches, with a page selector instead of "100+".
"""

from __future__ import annotations

from dataclasses import replace
from math import ceil
from typing import Any

import streamlit as st

from radar.app import data, nav, times
from radar.app.i18n import t
from radar.app.safe import web_link
from radar.errors import SearchError
from radar.labels import quadrant_name, tech_name
from radar.store.items import MAX_SEARCH_CHARS, MAX_SEARCH_TERMS, ItemQuery

PAGE_SIZES = (25, 50, 100)
ROW_PX, HEADER_PX, BORDER_PX = 35, 35, 3  # st.dataframe's row and header height
HEADLINE_PX, EXCERPT_PX = 380, 520  # an excerpt is about 20 words around the hit: give it room


def table_height(rows: int) -> int:
    """Pixels that show ``rows`` rows and the header without an inner scroll bar."""
    return HEADER_PX + ROW_PX * max(rows, 1) + BORDER_PX


def page_span(total: int, size: int, page: int) -> tuple[int, int]:
    """The 1-based first and last item numbers shown on ``page``."""
    first = (page - 1) * size + 1
    return first, min(total, page * size)


def render(lang: str) -> None:
    """Draw the items page."""
    st.header(t("items", lang))
    if data.item_count() == 0:
        st.info(t("empty_store", lang))
        return
    feeds = {row["id"]: row["name"] for row in data.feeds()}
    left, middle, right = st.columns([3, 1, 1.5])
    search = left.text_input(t("search", lang), key="items_search").strip()
    item_lang = nav.choose_lang(middle, t("lang_filter", lang), "items_lang", lang)
    feed_id = right.selectbox(
        t("source", lang), ["", *feeds], key="items_feed",
        format_func=lambda fid: feeds.get(fid, fid) if fid else t("all", lang),
    )  # fmt: skip
    query = ItemQuery(search=search or None, lang=item_lang or None, feed_id=feed_id or None)
    try:
        total = data.matching_count(query)
    except SearchError:
        st.warning(t("search_too_big", lang, terms=MAX_SEARCH_TERMS, chars=MAX_SEARCH_CHARS))
        return
    if not total:
        st.warning(t("no_match", lang))
        return
    size_box, page_box, count_box = st.columns([1, 1, 3], vertical_alignment="bottom")
    size = size_box.selectbox(t("items_page_size", lang), PAGE_SIZES, key="items_page_size")
    pages = ceil(total / size)
    _keep_page_in_range((search, item_lang, feed_id, size), pages)
    page = int(page_box.number_input(
        t("items_page", lang, pages=pages), min_value=1, max_value=pages, step=1, key="items_page"
    ))  # fmt: skip
    first, last = page_span(total, size, page)
    count_box.markdown(t("items_count", lang, total=f"{total:,}", first=first, last=last))
    rows = data.items(replace(query, limit=size, offset=(page - 1) * size))
    found = data.item_excerpts(search, tuple(row["id"] for row in rows)) if search else {}
    table = [_row(row, found, bool(search), lang) for row in rows]
    st.dataframe(
        table, hide_index=True, height=table_height(len(table)),
        column_config={
            t("headline", lang): st.column_config.TextColumn(width=HEADLINE_PX),
            t("items_excerpt", lang): st.column_config.TextColumn(width=EXCERPT_PX),
            t("items_link", lang): st.column_config.LinkColumn(
                display_text=t("items_open", lang), width="small"),
            t("topic_confidence", lang): st.column_config.NumberColumn(format="%.2f"),
            t("relevance", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                                  format="%.2f"),
        },
    )  # fmt: skip


def _keep_page_in_range(filters: tuple[Any, ...], pages: int) -> None:
    """Back to page 1 when the search or a filter changed; never past the last page."""
    state = st.session_state
    if state.get("items_filters") != filters:
        state["items_filters"] = filters
        state["items_page"] = 1
    elif state.get("items_page", 1) > pages:
        state["items_page"] = pages


def _row(row: dict[str, Any], found: dict[int, str], searching: bool, lang: str) -> dict[str, Any]:
    """One table row, key columns first (a dict keeps its order as the column order)."""
    taxonomy = data.taxonomy()
    shown: dict[str, Any] = {t("headline", lang): row["title"]}
    if searching:
        shown[t("items_excerpt", lang)] = found.get(row["id"], "")
    shown.update({
        t("published", lang): times.shown(row["published"]),
        t("source", lang): row["source"],
        t("technologies", lang): ", ".join(tech_name(taxonomy, tech, lang)
                                          for tech in row["techs"]),
        t("topic", lang): quadrant_name(taxonomy, row["quadrant"], lang) if row["quadrant"] else "",
        t("items_link", lang): web_link(row["link"]),
        t("sources_in_story", lang): row["story_sources"],
        t("topic_confidence", lang): row["quadrant_confidence"],
        t("relevance", lang): row["relevance"],
    })  # fmt: skip
    return shown
