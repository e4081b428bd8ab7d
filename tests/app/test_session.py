"""Sign-ins that survive reloads: tokens, their revocation, the key file and the cookie routes."""

from __future__ import annotations

import asyncio
import stat
import time
from pathlib import Path

import httpx
from starlette.applications import Starlette

from radar.app.oidc import auth_secrets, enabled, metadata_url
from radar.app.session import (
    COOKIE_NAME,
    SECRET_FILE,
    Generations,
    Handoffs,
    Sessions,
    load_secret,
    sessions_for,
)
from radar.app.session_routes import SESSION_PATH, SIGNOUT_PATH, session_routes
from radar.config import Settings


def _sessions(tmp_path: Path, hours: int = 12) -> Sessions:
    return sessions_for("k" * 40, tmp_path, hours)


def test_a_token_names_its_user_and_never_the_password(tmp_path: Path) -> None:
    sessions = _sessions(tmp_path)
    token = sessions.issue("sato")
    assert sessions.check(token) == "sato"
    assert "pbkdf2" not in token and "s3cret" not in token


def test_a_forged_or_other_key_token_is_refused(tmp_path: Path) -> None:
    token = _sessions(tmp_path).issue("sato")
    other = sessions_for("z" * 40, tmp_path, 12)
    assert other.check(token) is None
    payload, _, signature = token.rpartition(".")
    assert _sessions(tmp_path).check(payload + "." + signature[::-1]) is None
    assert _sessions(tmp_path).check("not a token") is None


def test_a_token_expires_after_the_configured_hours(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sessions = _sessions(tmp_path, hours=1)
    token = sessions.issue("sato")
    later = time.time() + 3600 + 5
    monkeypatch.setattr(time, "time", lambda: later)  # itsdangerous reads the clock
    assert sessions.check(token) is None


def test_signing_out_revokes_every_earlier_token(tmp_path: Path) -> None:
    sessions = _sessions(tmp_path)
    stolen = sessions.issue("sato")
    other_user = sessions.issue("suzuki")
    sessions.generations.revoke("sato", time.time())
    assert sessions.check(stolen) is None
    assert sessions.check(other_user) == "suzuki"
    assert sessions.check(sessions.issue("sato")) == "sato"  # signing in again works
    # a fresh reader of the same file (another process) agrees
    assert Generations(sessions.generations.path).generation("sato") == 1


def test_the_key_is_made_once_beside_the_store_owner_only(tmp_path: Path) -> None:
    first = load_secret("", tmp_path)
    assert load_secret("", tmp_path) == first and len(first) >= 40
    mode = stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode)
    assert mode == 0o600
    assert load_secret("from-env", tmp_path) == "from-env"


def test_an_empty_or_loose_key_file_is_replaced_and_narrowed(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE
    path.write_text("")
    path.chmod(0o644)
    key = load_secret("", tmp_path)
    assert len(key) >= 40 and path.read_text() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_ticket_works_once_and_not_after_its_lifetime() -> None:
    handoffs = Handoffs(lifetime=60)
    ticket = handoffs.create("sato", now=0)
    assert handoffs.redeem(ticket, now=1) == "sato"
    assert handoffs.redeem(ticket, now=2) is None
    stale = handoffs.create("sato", now=0)
    assert handoffs.redeem(stale, now=61) is None


class _Client:
    """Posts to the routes in-process (httpx's ASGI transport), keeping cookies."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.cookies = httpx.Cookies()

    def post(self, path: str, **options: object) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", cookies=self.cookies
            ) as client:
                answer = await client.post(path, **options)  # type: ignore[arg-type]
                self.cookies = client.cookies
                return answer

        return asyncio.run(send())


def _client(tmp_path: Path, base_url: str = "http://localhost:8501") -> tuple:  # type: ignore[type-arg]
    handoffs = Handoffs()
    sessions = _sessions(tmp_path)
    app = Starlette(routes=session_routes(lambda: sessions, base_url, handoffs))
    return _Client(app), handoffs, sessions


def test_the_route_sets_an_httponly_lax_cookie_for_a_ticket(tmp_path: Path) -> None:
    client, handoffs, sessions = _client(tmp_path)
    answer = client.post(SESSION_PATH, json={"ticket": handoffs.create("sato")})
    assert answer.status_code == 204
    header = answer.headers["set-cookie"]
    assert f"{COOKIE_NAME}=" in header and "HttpOnly" in header
    assert "SameSite=lax" in header and "Max-Age=43200" in header and "Secure" not in header
    assert sessions.check(client.cookies[COOKIE_NAME]) == "sato"
    replay = client.post(SESSION_PATH, json={"ticket": "made-up"})
    assert replay.status_code == 400 and "set-cookie" not in replay.headers


def test_the_cookie_is_secure_when_the_app_is_served_over_https(tmp_path: Path) -> None:
    client, handoffs, _ = _client(tmp_path, "https://radar.city.example.jp")
    answer = client.post(SESSION_PATH, json={"ticket": handoffs.create("sato")})
    assert "Secure" in answer.headers["set-cookie"]


def test_another_site_cannot_post_a_ticket_or_a_sign_out(tmp_path: Path) -> None:
    client, handoffs, _ = _client(tmp_path)
    ticket = handoffs.create("sato")
    foreign = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    assert client.post(SESSION_PATH, json={"ticket": ticket}, headers=foreign).status_code == 403
    assert client.post(SIGNOUT_PATH, headers=foreign).status_code == 403


def test_the_sign_out_route_expires_the_cookie(tmp_path: Path) -> None:
    client, _, _ = _client(tmp_path)
    answer = client.post(SIGNOUT_PATH)
    assert answer.status_code == 204
    header = answer.headers["set-cookie"]
    assert f"{COOKIE_NAME}=" in header and ("Max-Age=0" in header or "expires=" in header)


def test_single_sign_on_is_off_until_issuer_and_client_are_set() -> None:
    assert not enabled(Settings())
    assert auth_secrets(Settings(), "key") == {}
    assert not enabled(Settings(oidc_issuer="https://idp.example.jp"))


def test_single_sign_on_config_comes_from_the_settings() -> None:
    settings = Settings(
        base_url="https://radar.city.example.jp/",
        oidc_issuer="https://idp.example.jp/realms/city/",
        oidc_client_id="trend-radar",
        oidc_client_secret="shh",
    )
    auth = auth_secrets(settings, "our-key")["auth"]
    assert auth["redirect_uri"] == "https://radar.city.example.jp/oauth2callback"
    assert auth["server_metadata_url"] == (
        "https://idp.example.jp/realms/city/.well-known/openid-configuration"
    )
    assert auth["client_id"] == "trend-radar" and auth["client_secret"] == "shh"
    assert auth["cookie_secret"] not in ("", "our-key")  # derived, not the cookie key itself
    assert metadata_url(auth["server_metadata_url"]) == auth["server_metadata_url"]
