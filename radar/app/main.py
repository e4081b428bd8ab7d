"""Route the app: language switch and sign-in in the sidebar, then one page per job."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

import streamlit as st

from radar.app import access, nav, progress
from radar.app.i18n import t
from radar.app.views import digest, feeds, items, models, radar, tagging, tech
from radar.labels import LANGUAGES

DEFAULT_LANG_ENV = "RADAR_APP_LANG"
PAGES: dict[str, Callable[[str], None]] = {
    "radar": radar.render, "technology": tech.render, "items": items.render,
    "tagging": tagging.render, "models": models.render, "feeds": feeds.render,
    "digest": digest.render,
}  # fmt: skip
"""Each page by its URL path (also its title's i18n key), and how to draw it."""


def _page(name: str, draw: Callable[[], None]) -> Callable[[], None]:
    draw.__name__ = name  # st.Page tells pages apart by their function's name
    return draw


def _signed_out(lang: str) -> None:
    st.header(t("title", lang))
    st.info(t("signin_to_read", lang))


def _language() -> str:
    """The UI language: a fresh ``?lang=`` wins (link, reload, bookmark), then the switch.

    It is written back to the URL on every run, so a reload, a copied link or a page switch
    keeps it; every link the app makes adds it too (:func:`radar.app.nav.lang_params`).
    """
    return nav.choose(
        nav.LANG_PARAM, list(LANGUAGES), "表示言語 / Language", nav.LANG_WIDGET,
        LANGUAGES.__getitem__, st.sidebar, key=nav.LANG_KEY,
        default=os.environ.get(DEFAULT_LANG_ENV, "ja"), widget="radio", horizontal=True,
    )  # fmt: skip


def main() -> None:
    """Entry point for `streamlit run app.py`."""
    st.set_page_config(page_title="Trend Radar", layout="wide")
    st.set_option("client.toolbarMode", "viewer")  # no "Deploy" or developer menu for staff
    lang = _language()
    st.sidebar.title(t("title", lang))
    if not access.can_read():
        access.sidebar(lang)
        signed_out = _page("signin", partial(_signed_out, lang))
        st.navigation([st.Page(signed_out, title=t("title", lang), url_path="signin")]).run()
        return
    pages = {
        name: st.Page(_page(name, partial(render, lang)), title=t(name, lang), url_path=name,
                      default=name == "radar")
        for name, render in PAGES.items()
    }  # fmt: skip
    nav.register(pages)
    current = st.navigation(list(pages.values()), position="hidden")
    nav.sidebar_links(pages)  # first in the sidebar, where Streamlit's own list would be
    access.sidebar(lang)
    progress.sidebar(lang)
    current.run()
