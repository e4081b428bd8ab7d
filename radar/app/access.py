"""Who may read and who may write: the sidebar sign-in and the checks pages call.

Reading is open unless ``RADAR_APP_OPEN_READ=0``. Tagging, overrides, retraining and feed
administration need a user from ``RADAR_APP_USERS`` (hashed passwords, see
:mod:`radar.app.auth`). The signed-in name is kept in ``st.session_state`` only.
"""

from __future__ import annotations

import logging
import secrets
import time

import streamlit as st

from radar.app.auth import authenticate, load_users, reading_is_open
from radar.app.i18n import t
from radar.app.signin_limit import SignInLimit, name_key, session_key
from radar.errors import ConfigError

USER_KEY = "radar_user"
SESSION_KEY = "signin_session"
log = logging.getLogger("radar.app")


@st.cache_resource
def _limit() -> SignInLimit:
    """One counter of failed sign-ins for the whole server (all sessions share it)."""
    return SignInLimit()


def _users() -> dict[str, str]:
    try:
        return load_users()
    except ConfigError as exc:
        st.sidebar.error(str(exc))
        return {}


def current_user() -> str | None:
    """The signed-in user, if they are still configured."""
    user = st.session_state.get(USER_KEY)
    return user if user and user in _users() else None


def can_read() -> bool:
    """Whether this session may see the radar."""
    return reading_is_open() or current_user() is not None


def writer(lang: str) -> str | None:
    """The signed-in user, or None after showing where to sign in (pages then draw no forms)."""
    user = current_user()
    if user is None:
        st.info(t("signin_to_edit", lang))
    return user


def sidebar(lang: str) -> None:
    """Sign-in form, or who is signed in and a sign-out button."""
    users = _users()
    user = current_user()
    box = st.sidebar.container(border=True)
    if user is not None:
        box.caption(t("signed_in_as", lang, user=user))
        if box.button(t("sign_out", lang), key="sign_out"):
            del st.session_state[USER_KEY]
            st.rerun()
        return
    if not users:
        box.caption(t("signin_not_configured", lang))
        return
    with box.form("sign_in", clear_on_submit=True):
        st.markdown(f"**{t('sign_in', lang)}**")
        name = st.text_input(t("user_name", lang), key="signin_name")
        password = st.text_input(t("password", lang), type="password", key="signin_password")
        submitted = st.form_submit_button(t("sign_in", lang))
    if submitted:
        _try_sign_in(users, name, password)
    failed = st.session_state.get("signin_failed")
    if failed:
        box.error(t(failed[0], lang, minutes=failed[1]))


def _try_sign_in(users: dict[str, str], name: str, password: str) -> None:
    """Check the form unless this name or session failed too often; remember the outcome."""
    session = st.session_state.setdefault(SESSION_KEY, secrets.token_hex(16))
    keys = (name_key(name), session_key(session))
    limit, now = _limit(), time.monotonic()
    minutes = limit.wait_minutes(keys, now)
    if minutes:  # refused before hashing: a locked name costs no CPU
        log.warning("sign-in refused: too many failed tries (wait %d min)", minutes)
        st.session_state["signin_failed"] = ("signin_locked", minutes)
        return
    if authenticate(users, name, password):
        limit.succeeded(keys)
        st.session_state[USER_KEY] = name.strip()
        st.session_state.pop("signin_failed", None)
        st.rerun()
    limit.failed(keys, now)
    minutes = limit.wait_minutes(keys, now)
    st.session_state["signin_failed"] = ("signin_locked" if minutes else "signin_failed", minutes)
