"""Digest page: preview the weekly email digest of an edition, as staff would receive it."""

from __future__ import annotations

import streamlit as st

from radar.app import data, nav
from radar.app.i18n import t
from radar.app.safe import md
from radar.labels import LANGUAGES


def render(lang: str) -> None:
    """Show the plain-text digest (feed text as text) and offer the HTML version to download."""
    st.header(t("digest", lang))
    weeks = data.weeks()
    if not weeks:
        st.info(t("no_editions", lang))
        return
    left, right = st.columns([2, 1])
    week = nav.choose("week", weeks, t("edition_week", lang), "digest_week", container=left)
    mail_lang = right.selectbox(
        t("digest_lang", lang), list(LANGUAGES), key="digest_lang",
        index=list(LANGUAGES).index(lang), format_func=LANGUAGES.__getitem__,
    )  # fmt: skip
    digest = data.digest(week, mail_lang)
    st.caption(t("digest_how", lang))
    # The text opens with the digest's own title: the subject is shown as the mail header it
    # is, not as a second heading repeating that title.
    st.markdown(f"**{t('digest_subject', lang)}:** {md(digest['subject'])}")
    st.text(digest["text"])
    st.download_button(
        t("digest_download", lang), digest["html"].encode("utf-8"),
        file_name=f"digest-{week}-{mail_lang}.html", mime="text/html", key="digest_html",
    )  # fmt: skip
