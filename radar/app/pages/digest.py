"""Digest page: a placeholder until the weekly email digest exists."""

from __future__ import annotations

import streamlit as st

from radar.app.i18n import t


def render(lang: str) -> None:
    """Say honestly that there is no digest yet."""
    st.header(t("digest", lang))
    st.info(t("digest_pending", lang))
