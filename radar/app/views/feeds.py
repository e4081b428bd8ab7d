"""Feeds page: health of every feed, broken ones first; add, disable or enable (signed in)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from radar.app import access, actions, data, nav
from radar.app.i18n import t
from radar.app.safe import md
from radar.app.times import shown
from radar.errors import BlockedAddressError, ConfigError, FetchError, ParseError, RadarError
from radar.store.feeds import feed_status

ADDED_KEY = "feed_added"


def add_error(exc: RadarError) -> tuple[str, dict[str, Any]]:
    """The plain-words message (i18n key and values) for a feed that could not be added.

    The library's messages are for the command line (English, flags such as
    ``--allow-private``); staff get what happened and what they can do, in their language.
    """
    if isinstance(exc, BlockedAddressError):
        return "feed_error_private", {}
    if isinstance(exc, ConfigError):
        return ("feed_error_exists" if "already subscribed" in str(exc) else "feed_error_url"), {}
    if isinstance(exc, FetchError):
        return (
            ("feed_error_http", {"status": exc.status}) if exc.status else ("feed_error_fetch", {})
        )
    if isinstance(exc, ParseError):
        return "feed_error_parse", {}
    return "feed_error_other", {}


def _table(rows: list[dict[str, Any]], lang: str) -> None:
    table = [
        {
            t("feeds", lang): row["name"],
            t("status", lang): t(feed_status(row), lang),
            t("last_success", lang): shown(row["last_success_at"]),
            t("errors", lang): row["error_count"],
            t("next_due", lang): shown(row["next_due_at"]),
            t("items", lang): row["item_count"],
            t("last_error", lang): row["disabled_reason"] or row["last_error"] or "",
        }
        for row in rows
    ]
    st.dataframe(table, hide_index=True)


def _add_form(lang: str) -> None:
    with st.form("add_feed", clear_on_submit=False):
        st.markdown(f"**{t('add_feed', lang)}**")
        url = st.text_input(t("feed_url", lang), key="add_feed_url")
        cols = st.columns(2)
        name = cols[0].text_input(t("feed_name", lang), key="add_feed_name")
        lang_code = nav.choose_lang(cols[1], t("feed_lang", lang), "add_feed_lang", lang, "auto")
        submitted = st.form_submit_button(t("add_feed", lang))
    if not submitted or not url.strip():
        return
    try:
        with st.spinner(t("feed_checking", lang)):
            spec = actions.add_feed(url.strip(), name.strip() or None, lang_code or None)
    except RadarError as exc:
        key, values = add_error(exc)
        st.error(t(key, lang, **values))
        return
    st.session_state[ADDED_KEY] = spec.name
    st.rerun()


def _enable_form(rows: list[dict[str, Any]], lang: str) -> None:
    rows = [row for row in rows if feed_status(row) != "archive"]  # never polled
    if not rows:
        return
    names = {row["id"]: row["name"] for row in rows}
    enabled = {row["id"]: bool(row["enabled"]) for row in rows}
    st.markdown(f"**{t('disable_enable', lang)}**")
    cols = st.columns([2, 2, 1])
    feed_id = cols[0].selectbox(t("feeds", lang), list(names), key="toggle_feed",
                                format_func=names.__getitem__)  # fmt: skip
    if enabled[feed_id]:
        reason = cols[1].text_input(t("disable_reason", lang), key="toggle_reason")
        if cols[2].button(t("disable", lang), key="toggle_disable"):
            actions.feed_enabled(feed_id, False, reason.strip() or t("disabled_by_staff", lang))
            st.rerun()
    elif cols[2].button(t("enable", lang), key="toggle_enable"):
        actions.feed_enabled(feed_id, True, None)
        st.rerun()


def render(lang: str) -> None:
    """Draw the feed health table and, for signed-in staff, the feed admin forms."""
    st.header(t("feed_health", lang))
    if added := st.session_state.pop(ADDED_KEY, None):
        st.success(t("feed_added", lang, name=md(added)))
    rows = data.feeds()
    if rows:
        _table(rows, lang)
    else:
        st.info(t("no_feeds", lang))
    st.subheader(t("feed_admin", lang))
    if access.writer(lang) is None:
        return
    _add_form(lang)
    if rows:
        _enable_form(rows, lang)
