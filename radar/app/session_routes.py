"""Two small HTTP routes on Streamlit's own server that set and clear the sign-in cookie.

Streamlit can read cookies (``st.context.cookies``) but a script cannot set one, least of all
an HttpOnly one: its answers go over a websocket. ``st.App`` (Streamlit's documented ASGI
entry point) takes extra Starlette routes, so the browser posts a one-use ticket here right
after signing in and gets the cookie in the answer; signing out posts to the second route.

- ``POST /api/radar/session`` with ``{"ticket": ...}``: 204 and ``Set-Cookie: radar_session``
  (HttpOnly, SameSite=Lax, Path=/, Max-Age from ``app.session_hours``, Secure when
  ``app.base_url`` is https); 400 for an unknown, used or stale ticket.
- ``POST /api/radar/signout``: 204 and the cookie expired. The server side of signing out (the
  generation bump) has already happened in the app; this only tidies the browser.

Both refuse a request another site's page sent (``Origin`` or ``Sec-Fetch-Site`` says so).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from radar.app.session import COOKIE_NAME, HANDOFFS, Handoffs, Sessions

SESSION_PATH = "/api/radar/session"
SIGNOUT_PATH = "/api/radar/signout"
MAX_BODY = 1024


def cookie_options(base_url: str, max_age: int) -> dict[str, object]:
    """Attributes of the sign-in cookie: never readable by page scripts, sent on links."""
    return {
        "max_age": max_age, "path": "/", "httponly": True, "samesite": "lax",
        "secure": urlsplit(base_url).scheme == "https",
    }  # fmt: skip


def _same_origin(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


async def _ticket(request: Request) -> str | None:
    body = await request.body()
    if len(body) > MAX_BODY:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    ticket = data.get("ticket") if isinstance(data, dict) else None
    return ticket if isinstance(ticket, str) else None


def session_routes(
    sessions: Callable[[], Sessions], base_url: str, handoffs: Handoffs = HANDOFFS
) -> list[Route]:
    """The two routes; ``sessions`` is called per request (the store may be made later)."""

    async def start(request: Request) -> Response:
        if not _same_origin(request):
            return Response(status_code=403)
        ticket = await _ticket(request)
        user = handoffs.redeem(ticket) if ticket else None
        if user is None:
            return Response(status_code=400)
        current = sessions()
        answer = Response(status_code=204, headers={"Cache-Control": "no-store"})
        answer.set_cookie(
            COOKIE_NAME, current.issue(user), **cookie_options(base_url, current.max_age)
        )
        return answer

    async def end(request: Request) -> Response:
        if not _same_origin(request):
            return Response(status_code=403)
        answer = Response(status_code=204, headers={"Cache-Control": "no-store"})
        options = cookie_options(base_url, 0)
        answer.delete_cookie(
            COOKIE_NAME, path="/", secure=bool(options["secure"]), httponly=True, samesite="lax"
        )
        return answer

    handoffs.enabled = True
    return [
        Route(SESSION_PATH, start, methods=["POST"]),
        Route(SIGNOUT_PATH, end, methods=["POST"]),
    ]
