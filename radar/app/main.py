"""Route the app: language switch in the sidebar, then one page per job."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from radar.app.i18n import LANGUAGES, t
from radar.app.pages import feeds, items


def _page(render: Callable[[str], None], lang: str) -> Callable[[], None]:
    def draw() -> None:
        render(lang)

    draw.__name__ = render.__module__.rsplit(".", 1)[-1]
    return draw


def main() -> None:
    """Entry point for `streamlit run app.py`."""
    st.set_page_config(page_title="Trend Radar", layout="wide")
    lang = st.sidebar.radio(
        "表示言語 / Language", list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="ui_lang"
    )
    st.sidebar.title(t("title", lang))
    pages = [
        st.Page(_page(items.render, lang), title=t("items", lang), url_path="items", default=True),
        st.Page(_page(feeds.render, lang), title=t("feeds", lang), url_path="feeds"),
    ]
    st.navigation(pages).run()
