"""Route the app: language switch and sign-in in the sidebar, then one page per job."""

from __future__ import annotations

import os
from collections.abc import Callable

import streamlit as st

from radar.app import access, nav, progress
from radar.app.i18n import t
from radar.app.views import digest, feeds, items, models, radar, tagging, tech
from radar.labels import LANGUAGES

DEFAULT_LANG_ENV = "RADAR_APP_LANG"
PAGES: tuple[tuple[str, Callable[[str], None], str], ...] = (
    ("radar", radar.render, "radar"),
    ("technology", tech.render, "technology"),
    ("items", items.render, "items"),
    ("tagging", tagging.render, "tagging"),
    ("models", models.render, "models"),
    ("feeds", feeds.render, "feeds"),
    ("digest", digest.render, "digest"),
)


def _page(render: Callable[[str], None], lang: str, name: str) -> Callable[[], None]:
    def draw() -> None:
        render(lang)

    draw.__name__ = name
    return draw


def _signed_out(lang: str) -> Callable[[], None]:
    def draw() -> None:
        st.header(t("title", lang))
        st.info(t("signin_to_read", lang))

    draw.__name__ = "signin"
    return draw


def _adopt_language() -> None:
    st.session_state[nav.LANG_KEY] = st.session_state[nav.LANG_WIDGET]


def _language() -> str:
    """The UI language: a fresh ``?lang=`` wins (link, reload, bookmark), then the switch.

    The choice lives in a plain session key (a page switch may drop a widget's state) and is
    written back to the URL on every run, so a reload, a copied link or a page switch keeps
    it; every link the app makes adds it too (:func:`radar.app.nav.lang_params`).
    """
    codes = list(LANGUAGES)
    linked = nav.query_value(nav.LANG_PARAM)
    if linked in codes:
        st.session_state[nav.LANG_KEY] = linked
    if st.session_state.get(nav.LANG_KEY) not in codes:
        default = os.environ.get(DEFAULT_LANG_ENV, "ja")
        st.session_state[nav.LANG_KEY] = default if default in codes else codes[0]
    st.session_state[nav.LANG_WIDGET] = st.session_state[nav.LANG_KEY]
    lang: str = st.sidebar.radio(
        "表示言語 / Language", codes, format_func=LANGUAGES.__getitem__, key=nav.LANG_WIDGET,
        horizontal=True, on_change=_adopt_language,
    )  # fmt: skip
    st.session_state[nav.LANG_KEY] = lang
    st.query_params[nav.LANG_PARAM] = lang
    st.session_state[f"_seen_{nav.LANG_PARAM}"] = lang
    return lang


def main() -> None:
    """Entry point for `streamlit run app.py`."""
    st.set_page_config(page_title="Trend Radar", layout="wide")
    st.set_option("client.toolbarMode", "viewer")  # no "Deploy" or developer menu for staff
    lang = _language()
    st.sidebar.title(t("title", lang))
    if not access.can_read():
        access.sidebar(lang)
        st.navigation([st.Page(_signed_out(lang), title=t("title", lang), url_path="signin")]).run()
        return
    pages = {
        name: st.Page(_page(render, lang, name), title=t(key, lang), url_path=name,
                      default=name == "radar")
        for name, render, key in PAGES
    }  # fmt: skip
    nav.register(pages)
    current = st.navigation(list(pages.values()), position="hidden")
    nav.sidebar_links(pages)  # first in the sidebar, where Streamlit's own list would be
    access.sidebar(lang)
    progress.sidebar(lang)
    current.run()
