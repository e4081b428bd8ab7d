"""What the served app is made of: the page script, the cookie routes, the SSO secrets.

:mod:`radar.app.streamlit_app` hands these to ``st.App`` (Streamlit's documented ASGI entry
point, which ``streamlit run`` detects). Settings are read once here, as the pages read them;
a configuration error leaves SSO off and the cookie routes failing, and the pages then show
the error itself.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from starlette.routing import Route

from radar.app.oidc import auth_secrets
from radar.app.session import store_sessions
from radar.app.session_routes import session_routes
from radar.config import Settings, load_settings
from radar.errors import ConfigError

PAGE = Path(__file__).resolve().parent / "page.py"
log = logging.getLogger("radar.app")


@cache
def _settings() -> Settings | None:
    try:
        return load_settings()
    except ConfigError as exc:
        log.error("app: %s", exc)
        return None


def routes() -> list[Route]:
    """The cookie routes, bound to the configured store and base URL."""
    settings = _settings()
    base_url = settings.base_url if settings else ""
    return session_routes(lambda: store_sessions(_require()), base_url)


def _require() -> Settings:
    settings = _settings()
    if settings is None:
        raise ConfigError("app: the configuration could not be read")
    return settings


def secrets() -> dict[str, dict[str, str]]:
    """``st.secrets`` additions: the ``[auth]`` section when single sign-on is configured."""
    settings = _settings()
    if settings is None:
        return {}
    return auth_secrets(settings, store_sessions(settings).secret)
