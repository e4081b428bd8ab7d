"""The sidebar sign-in as staff meet it: SSO when configured, signing out everywhere."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, PASSWORD


def _app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = lang
    return at.run()


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(password)
    return at.button(key="FormSubmitter:sign_in-Sign in").click().run()


def _sso_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.sidebar.button if b.key == "sign_in_sso"]


@pytest.mark.parametrize(
    ("lang", "label"),
    [("ja", "組織のアカウントでサインイン"), ("en", "Sign in with your organisation's account")],
)
def test_single_sign_on_is_offered_when_configured(
    store: Path, monkeypatch: pytest.MonkeyPatch, lang: str, label: str
) -> None:
    monkeypatch.setenv("RADAR_APP_OIDC_ISSUER", "https://idp.example.jp/realms/city")
    monkeypatch.setenv("RADAR_APP_OIDC_CLIENT_ID", "trend-radar")
    at = _app(lang)
    assert not at.exception
    assert _sso_buttons(at) == [label]
    assert at.text_input(key="signin_name")  # local users stay for small deployments


def test_no_single_sign_on_button_without_configuration(store: Path) -> None:
    at = _app()
    assert not at.exception
    assert _sso_buttons(at) == []


def test_a_half_filled_form_is_not_a_failed_try(store: Path) -> None:
    at = _app()
    _sign_in(at, "sato", "")
    assert "radar_user" not in at.session_state
    assert any("both your user name and your password" in e.value for e in at.sidebar.error)
    for _ in range(5):  # five empty submissions lock nothing
        _sign_in(at, "sato", "")
    _sign_in(at, "sato", PASSWORD)
    assert at.session_state["radar_user"] == "sato"


def test_signing_out_ends_the_users_other_sessions_too(store: Path) -> None:
    office, home = _app(), _app()
    _sign_in(office, "sato", PASSWORD)
    _sign_in(home, "sato", PASSWORD)
    assert any("Signed in as sato" in c.value for c in home.sidebar.caption)
    office.button(key="sign_out").click().run()
    home.run()
    assert "radar_user" not in home.session_state
    assert not any("Signed in as sato" in c.value for c in home.sidebar.caption)
    _sign_in(home, "sato", PASSWORD)  # and signing in again works
    assert home.session_state["radar_user"] == "sato"


def _sso_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_APP_OIDC_ISSUER", "https://idp.example.jp/realms/city")
    monkeypatch.setenv("RADAR_APP_OIDC_CLIENT_ID", "trend-radar")


def test_the_identity_providers_user_is_the_signed_in_staff_member(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sso_env(monkeypatch)
    claims = {"is_logged_in": True, "email": "tanaka@city.example.jp", "iat": time.time() - 60}
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.user = dict(claims)
    at.run()
    assert not at.exception
    assert any("Signed in as tanaka@city.example.jp" in c.value for c in at.sidebar.caption)
    assert not _sso_buttons(at)
    at.button(key="sign_out").click().run()
    assert not any("Signed in as" in c.value for c in at.sidebar.caption)
    assert at.user == {"is_logged_in": False}  # st.logout() ran: Streamlit's cookie goes too
    # The identity cookie copied before the sign-out no longer signs anyone in.
    replay = AppTest.from_file(APP, default_timeout=60)
    replay.session_state["ui_lang"] = "en"
    replay.user = dict(claims)
    replay.run()
    assert not any("Signed in as" in c.value for c in replay.sidebar.caption)
