"""Single sign-on through Streamlit's own ``st.login``: its ``[auth]`` configuration from ours.

Offices run an identity provider (Entra ID, Keycloak, Google Workspace...). Set three
variables and the sidebar offers "sign in with your organisation's account"::

    RADAR_APP_OIDC_ISSUER=https://login.example.jp/realms/city
    RADAR_APP_OIDC_CLIENT_ID=trend-radar
    RADAR_APP_OIDC_CLIENT_SECRET=...            (environment only, like every secret)

and register ``<app.base_url>/oauth2callback`` as the redirect URI at the provider. Streamlit
reads ``st.secrets["auth"]``; rather than writing a ``secrets.toml`` (a file of secrets to
protect, which inside the package would be lost on upgrade), :func:`auth_secrets` builds the
section from the settings and ``radar run`` hands it to ``st.App(secrets=...)`` in memory.
Whoever the provider lets sign in to this client is staff: restrict it there (assign users
to the application). The local users of ``RADAR_APP_USERS`` keep working beside it.
"""

from __future__ import annotations

import hashlib
import hmac

from radar.config import Settings

CALLBACK_PATH = "/oauth2callback"
METADATA_SUFFIX = "/.well-known/openid-configuration"


def enabled(settings: Settings) -> bool:
    """Whether single sign-on is configured (an issuer and a client id)."""
    return bool(settings.oidc_issuer.strip() and settings.oidc_client_id.strip())


def metadata_url(issuer: str) -> str:
    """The provider's discovery document: the issuer with the well-known path (once)."""
    issuer = issuer.strip().rstrip("/")
    return issuer if issuer.endswith(METADATA_SUFFIX) else issuer + METADATA_SUFFIX


def cookie_key(signing_secret: str) -> str:
    """Streamlit's identity-cookie key, derived from ours so one secret serves both uses."""
    return hmac.new(
        signing_secret.encode("utf-8"), b"streamlit-auth-cookie", hashlib.sha256
    ).hexdigest()


def auth_secrets(settings: Settings, signing_secret: str) -> dict[str, dict[str, str]]:
    """``{"auth": {...}}`` for ``st.App(secrets=...)``, or ``{}`` when SSO is off."""
    if not enabled(settings):
        return {}
    return {
        "auth": {
            "redirect_uri": settings.base_url.rstrip("/") + CALLBACK_PATH,
            "cookie_secret": cookie_key(signing_secret),
            "client_id": settings.oidc_client_id.strip(),
            "client_secret": settings.oidc_client_secret,
            "server_metadata_url": metadata_url(settings.oidc_issuer),
        }
    }
