"""Moving between pages and keeping the chosen week and technology in the URL.

Deep links: ``?week=2023-W40&tech=kubernetes`` on the radar opens that technology in that
edition; ``/technology?tech=kubernetes`` opens it in the newest edition; ``&lang=en`` shows
it in English (every link the app makes carries the language). The choice also
lives in ``st.session_state`` ("week", "tech") so it survives moving between pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from radar.app.i18n import t

PAGES_KEY = "_radar_pages"
LANG_KEY = "ui_lang"
"""Session key of the chosen UI language; main() keeps it, its switch and ``?lang=`` in step."""
LANG_WIDGET = "ui_lang_switch"
LANG_PARAM = "lang"


def lang_params() -> dict[str, str]:
    """``{"lang": code}`` for the chosen UI language, to add to every link the app makes."""
    lang = st.session_state.get(LANG_KEY)
    return {LANG_PARAM: lang} if isinstance(lang, str) else {}


def register(pages: dict[str, st.Page]) -> None:
    """Remember this session's pages (main() on every run) so pages can switch to them."""
    st.session_state[PAGES_KEY] = pages


def sidebar_links(pages: dict[str, st.Page]) -> None:
    """The page list in the sidebar, each link carrying the language.

    Streamlit's own navigation links drop the query string, so a page opened in a new tab
    or bookmarked from them would come back in Japanese; these links keep ``?lang=``.
    """
    with st.sidebar:
        for page in pages.values():
            st.page_link(page, label=page.title, query_params=lang_params())


def open_tech(tech_id: str, week: str | None) -> None:
    """Show a technology's page (deep-linkable: the URL carries tech and week)."""
    st.session_state["tech"] = tech_id
    if week:
        st.session_state["week"] = week
    params = {"tech": tech_id, **({"week": week} if week else {}), **lang_params()}
    page = st.session_state.get(PAGES_KEY, {}).get("technology")
    if page is None:  # a page drawn on its own (tests): stay, but remember the choice
        st.query_params.from_dict(params)
        return
    st.switch_page(page, query_params=params)


def query_value(name: str) -> str | None:
    """A query parameter the user has not acted on yet (new in the URL since last seen)."""
    value = st.query_params.get(name)
    seen_key = f"_seen_{name}"
    fresh = value is not None and st.session_state.get(seen_key) != value
    st.session_state[seen_key] = value
    return value if fresh else None


def choose(
    name: str, options: Sequence[str], label: str, widget_key: str,
    format_func: Callable[[str], str] = str, container: object = st, *, key: str | None = None,
    default: str | None = None, widget: str = "selectbox", **widget_args: object,
) -> str:  # fmt: skip
    """A choice shared across pages and mirrored in the URL as ``?name=value``.

    A fresh query value wins, then the shared session choice under ``key`` (default: ``name``;
    the widget updates it through its callback), then ``default``, then the first option.
    The choice lives in a plain session key because a page switch may drop a widget's state.
    """
    key = key or name

    def adopt() -> None:
        st.session_state[key] = st.session_state[widget_key]

    linked = query_value(name)
    if linked in options:
        st.session_state[key] = linked
    if st.session_state.get(key) not in options:
        st.session_state[key] = default if default in options else options[0]
    st.session_state[widget_key] = st.session_state[key]
    value: str = getattr(container, widget)(
        label, list(options), key=widget_key, format_func=format_func, on_change=adopt,
        **widget_args,
    )  # fmt: skip
    st.session_state[key] = value
    st.query_params[name] = value
    st.session_state[f"_seen_{name}"] = value
    return value


def choose_lang(container: object, label: str, key: str, lang: str, blank: str = "all") -> str:
    """A content-language box: "" (``blank``, e.g. all or detect), ja or en, named in ``lang``."""
    return container.selectbox(  # type: ignore[attr-defined, no-any-return]
        label, ["", "ja", "en"], key=key,
        format_func=lambda code: t(f"lang_{code}", lang) if code else t(blank, lang),
    )  # fmt: skip
