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


def main() -> None:
    """Entry point for `streamlit run app.py`."""
    st.set_page_config(page_title="Trend Radar", layout="wide")
    codes = list(LANGUAGES)
    default = os.environ.get(DEFAULT_LANG_ENV, "ja")
    lang = st.sidebar.radio(
        "表示言語 / Language", codes, format_func=LANGUAGES.__getitem__, key="ui_lang",
        index=codes.index(default) if default in codes else 0, horizontal=True,
    )  # fmt: skip
    st.sidebar.title(t("title", lang))
    access.sidebar(lang)
    progress.sidebar(lang)
    if not access.can_read():
        st.navigation([st.Page(_signed_out(lang), title=t("title", lang), url_path="signin")]).run()
        return
    pages = {
        name: st.Page(_page(render, lang, name), title=t(key, lang), url_path=name,
                      default=name == "radar")
        for name, render, key in PAGES
    }  # fmt: skip
    nav.register(pages)
    st.navigation(list(pages.values())).run()
