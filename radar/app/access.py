"""Who may read and who may write: the sidebar sign-in and the checks pages call.

Reading is open unless ``RADAR_APP_OPEN_READ=0``. Tagging, overrides, retraining and feed
administration need a signed-in member of staff: a local user from ``RADAR_APP_USERS`` (hashed
passwords, see :mod:`radar.app.auth`) or, when configured, the organisation's identity
provider through ``st.login`` (:mod:`radar.app.oidc`).

A local sign-in lives in ``st.session_state`` and, when the app is served by ``radar run``, in
an HttpOnly cookie holding a signed, expiring token (:mod:`radar.app.session`), so a reload, a
new tab or a digest link keeps it for ``app.session_hours``. Signing out revokes every token
of the user on the server and clears the cookie.
"""

from __future__ import annotations

import logging
import secrets
import time

import streamlit as st

from radar.app import data, oidc
from radar.app.auth import authenticate, load_users, reading_is_open
from radar.app.i18n import t
from radar.app.session import COOKIE_NAME, HANDOFFS, Sessions, store_sessions
from radar.app.session_routes import SESSION_PATH, SIGNOUT_PATH
from radar.app.signin_limit import SignInLimit, name_key, session_key
from radar.errors import ConfigError

USER_KEY = "radar_user"
GEN_KEY = "radar_user_generation"
SESSION_KEY = "signin_session"
TICKET_KEY = "signin_cookie_ticket"
CLEAR_KEY = "signin_cookie_clear"
log = logging.getLogger("radar.app")

_COOKIE_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  if (!data || !data.url) return;
  const body = JSON.stringify(data.ticket ? { ticket: data.ticket } : {});
  fetch(data.url, { method: "POST", credentials: "same-origin", body: body,
                    headers: { "Content-Type": "application/json" } })
    .then((answer) => setStateValue("done", answer.ok ? "ok" : "refused"))
    .catch(() => setStateValue("done", "failed"));
}
"""


@st.cache_resource
def _limit() -> SignInLimit:
    """One counter of failed sign-ins for the whole server (all sessions share it)."""
    return SignInLimit()


@st.cache_resource
def _cookie_component():  # type: ignore[no-untyped-def]
    """The tiny script that posts a ticket (or a sign-out) to the cookie routes."""
    return st.components.v2.component("radar_session_cookie", js=_COOKIE_JS)


@st.cache_resource
def sessions() -> Sessions:
    """The sign-in sessions of the configured store."""
    return store_sessions(data.settings())


def _users() -> dict[str, str]:
    try:
        return load_users()
    except ConfigError as exc:
        st.sidebar.error(str(exc))
        return {}


def _sso_user() -> str | None:
    """The identity provider's signed-in user, unless they signed out after it vouched."""
    if not oidc.enabled(data.settings()) or not st.user.get("is_logged_in"):
        return None
    name = st.user.get("email") or st.user.get("name") or st.user.get("sub")
    if not isinstance(name, str) or not name:
        return None
    issued = st.user.get("iat")
    if isinstance(issued, int | float) and issued <= sessions().generations.signed_out_at(name):
        return None
    return name


def _from_cookie(users: dict[str, str]) -> str | None:
    """The user a valid sign-in cookie names; a dead cookie is cleared from the browser."""
    token = st.context.cookies.get(COOKIE_NAME)
    if not token:
        return None
    current = sessions()
    user = current.check(token, time.time())
    if user is None or user not in users:
        st.session_state[CLEAR_KEY] = True
        return None
    st.session_state[USER_KEY] = user
    st.session_state[GEN_KEY] = current.generations.generation(user)
    return user


def current_user() -> str | None:
    """The signed-in member of staff: SSO, this session's sign-in, or the browser's cookie."""
    sso = _sso_user()
    if sso is not None:
        return sso
    users = _users()
    user = st.session_state.get(USER_KEY)
    if user and user in users:
        generation = st.session_state.setdefault(GEN_KEY, sessions().generations.generation(user))
        if sessions().still_valid(user, generation):
            return str(user)
    if user:  # signed out elsewhere, or no longer configured
        st.session_state.pop(USER_KEY, None)
        st.session_state.pop(GEN_KEY, None)
        st.session_state[CLEAR_KEY] = True
        return None
    return _from_cookie(users)


def can_read() -> bool:
    """Whether this session may see the radar."""
    return reading_is_open() or current_user() is not None


def writer(lang: str) -> str | None:
    """The signed-in user, or None after showing where to sign in (pages then draw no forms)."""
    user = current_user()
    if user is None:
        st.info(t("signin_to_edit", lang))
    return user


def _sync_cookie() -> None:
    """Post a pending ticket or sign-out to the cookie routes (only where they are served)."""
    if not HANDOFFS.enabled:
        st.session_state.pop(TICKET_KEY, None)
        st.session_state.pop(CLEAR_KEY, None)
        return
    ticket = st.session_state.get(TICKET_KEY)
    if ticket:
        payload, key = {"url": SESSION_PATH, "ticket": ticket}, f"cookie_set_{ticket[:8]}"
    elif st.session_state.get(CLEAR_KEY):
        payload, key = {"url": SIGNOUT_PATH}, "cookie_clear"
    else:
        return
    with st.sidebar:
        result = _cookie_component()(data=payload, key=key, on_done_change=lambda: None)
    if getattr(result, "done", None):
        st.session_state.pop(TICKET_KEY if ticket else CLEAR_KEY, None)


def _sign_out(user: str) -> None:
    """End the sign-in here and everywhere: revoke its tokens, then clear this browser."""
    sessions().generations.revoke(user, time.time())
    for key in (USER_KEY, GEN_KEY, TICKET_KEY):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_KEY] = True
    log.info("sign-out: %s", user)


def sidebar(lang: str) -> None:
    """Sign-in form (and the SSO button), or who is signed in and a sign-out button."""
    users = _users()
    user = current_user()
    settings = data.settings()
    box = st.sidebar.container(border=True)
    if user is not None:
        box.caption(t("signed_in_as", lang, user=user))
        if box.button(t("sign_out", lang), key="sign_out"):
            through_sso = _sso_user() is not None
            _sign_out(user)
            if through_sso:
                st.logout()  # also clears Streamlit's identity cookie
            st.rerun()
        _sync_cookie()
        return
    _sync_cookie()
    if oidc.enabled(settings) and box.button(t("sign_in_sso", lang), key="sign_in_sso"):
        st.login()
    if not users:
        if not oidc.enabled(settings):
            box.caption(t("signin_not_configured", lang))
        return
    with box.form("sign_in", clear_on_submit=True, enter_to_submit=False):
        st.markdown(f"**{t('sign_in', lang)}**")
        name = st.text_input(t("user_name", lang), key="signin_name")
        password = st.text_input(t("password", lang), type="password", key="signin_password")
        submitted = st.form_submit_button(t("sign_in", lang))
    if submitted:
        if name.strip() and password:
            _try_sign_in(users, name, password)
        else:
            st.session_state["signin_failed"] = ("signin_incomplete", 0)
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
        user = name.strip()
        st.session_state[USER_KEY] = user
        st.session_state[GEN_KEY] = sessions().generations.generation(user)
        st.session_state.pop(CLEAR_KEY, None)
        if HANDOFFS.enabled:
            st.session_state[TICKET_KEY] = HANDOFFS.create(user)
        st.session_state.pop("signin_failed", None)
        st.rerun()
    limit.failed(keys, now)
    minutes = limit.wait_minutes(keys, now)
    st.session_state["signin_failed"] = ("signin_locked" if minutes else "signin_failed", minutes)
