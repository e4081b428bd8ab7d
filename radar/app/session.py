"""Staff sign-ins that outlive one browser tab: signed, expiring tokens and their revocation.

Pure, no Streamlit: the sidebar (:mod:`radar.app.access`) and the cookie routes
(:mod:`radar.app.session_routes`) both call it, and its rules are tested without a browser.

- A token says only *who* and *which generation*: ``{"u": name, "g": 3}``, signed with
  itsdangerous (HMAC-SHA256 over a key derived from the app secret) and stamped with the time it
  was made, so it expires after ``app.session_hours`` however often the browser sends it back.
  It never carries the password or its hash.
- Signing out bumps the user's generation in ``app-sessions.json`` beside the store, so every
  token issued before is dead at once, on every device: a copied cookie does not outlive the
  sign-out. (Single sign-on users are revoked by time: ``signed_out_at`` against the id token's
  ``iat``.)
- The key comes from ``app.secret`` (``RADAR_APP_SECRET``) or is made once and kept in
  ``app-secret`` beside the store, readable by its owner only (0600), never in the package.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from radar.config import Settings

COOKIE_NAME = "radar_session"
SECRET_FILE = "app-secret"
SESSIONS_FILE = "app-sessions.json"
HANDOFF_SECONDS = 120
MIN_SECRET_CHARS = 32
_SALT = "radar.app.session"


def load_secret(configured: str, store_dir: Path) -> str:
    """The signing key: the configured one, else the one kept beside the store (made once).

    ``O_EXCL`` makes creation race-free between processes (the app and the CLI may start
    together): the loser of the race reads the winner's key.
    """
    if configured:
        return configured
    path = store_dir / SECRET_FILE
    store_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)  # copied in with wider rights: narrow them again
        kept = path.read_text(encoding="ascii").strip()
        if len(kept) >= MIN_SECRET_CHARS:
            return kept
        # empty or cut short (a crash while it was written): a weak key is no key
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


class Generations:
    """Per-user token generation and last sign-out time, in a small JSON file beside the store.

    Reads go to the file each time (another process or tab may have signed the user out);
    writes replace the file atomically under a lock, so a reader never sees half a file.
    """

    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def generation(self, user: str) -> int:
        """The user's current generation (0 until they first sign out)."""
        entry = self._read().get(user)
        value = entry.get("g") if isinstance(entry, dict) else None
        return value if isinstance(value, int) else 0

    def signed_out_at(self, user: str) -> float:
        """When the user last signed out (epoch seconds; 0: never)."""
        entry = self._read().get(user)
        value = entry.get("out") if isinstance(entry, dict) else None
        return float(value) if isinstance(value, int | float) else 0.0

    def revoke(self, user: str, now: float) -> int:
        """End every session of ``user``: bump the generation, note the time; the new one."""
        with self._lock:
            data = self._read()
            entry = data.get(user) if isinstance(data.get(user), dict) else {}
            generation = entry.get("g") if isinstance(entry.get("g"), int) else 0
            data[user] = {"g": generation + 1, "out": now}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + ".tmp")
            partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, self.path)
            return generation + 1


@dataclass(frozen=True)
class Sessions:
    """Issue and check sign-in tokens for one store and one key."""

    secret: str
    generations: Generations
    hours: int = 12

    @property
    def max_age(self) -> int:
        """Seconds a token lasts (also the cookie's Max-Age)."""
        return self.hours * 3600

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            self.secret, salt=_SALT, signer_kwargs={"digest_method": hashlib.sha256}
        )

    def issue(self, user: str) -> str:
        """A token for ``user`` at their current generation."""
        return str(self._serializer().dumps({"u": user, "g": self.generations.generation(user)}))

    def check(self, token: str, now: float | None = None) -> str | None:
        """The user a token names, or None if it is forged, expired or revoked."""
        serializer = self._serializer()
        try:
            payload, signed_at = serializer.loads(
                token, max_age=self.max_age, return_timestamp=True
            )
        except (SignatureExpired, BadSignature, ValueError, TypeError):
            return None
        if now is not None and signed_at.timestamp() > now + 60:
            return None  # from the future: a clock we do not trust
        if not isinstance(payload, dict):
            return None
        user, generation = payload.get("u"), payload.get("g")
        if not isinstance(user, str) or not isinstance(generation, int):
            return None
        return user if generation == self.generations.generation(user) else None

    def still_valid(self, user: str, generation: int) -> bool:
        """Whether a session signed in at ``generation`` has not been signed out since."""
        return self.generations.generation(user) == generation


def sessions_for(secret: str, store_dir: Path, hours: int) -> Sessions:
    """The sessions of the store in ``store_dir`` (key from ``secret`` or made beside it)."""
    return Sessions(load_secret(secret, store_dir), Generations(store_dir / SESSIONS_FILE), hours)


def store_sessions(settings: Settings) -> Sessions:
    """The sessions of the configured store, kept in the folder beside its database."""
    store_dir = Path(settings.db_path).resolve().parent
    return sessions_for(settings.app_secret, store_dir, settings.session_hours)


class Handoffs:
    """One-use tickets that carry a fresh sign-in from the app to the cookie route.

    The sign-in form runs over Streamlit's websocket, which cannot set a cookie; the browser
    then posts the ticket to ``/api/radar/session``, whose answer sets the HttpOnly cookie.
    A ticket is random, lives HANDOFF_SECONDS and works once. Both sides run in the same
    server process, so the tickets stay in memory.
    """

    def __init__(self, lifetime: float = HANDOFF_SECONDS) -> None:
        self.lifetime = lifetime
        self._tickets: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self.enabled = False
        """Set when the cookie routes are served (not under AppTest or a bare script)."""

    def create(self, user: str, now: float | None = None) -> str:
        """A ticket for ``user``."""
        now = time.monotonic() if now is None else now
        ticket = secrets.token_urlsafe(32)
        with self._lock:
            self._tickets = {k: v for k, v in self._tickets.items() if v[1] > now}
            self._tickets[ticket] = (user, now + self.lifetime)
        return ticket

    def redeem(self, ticket: str, now: float | None = None) -> str | None:
        """The user of a live ticket, once; None for an unknown, used or stale one."""
        now = time.monotonic() if now is None else now
        with self._lock:
            found = self._tickets.pop(ticket, None)
        if found is None or found[1] <= now:
            return None
        return found[0]


HANDOFFS = Handoffs()
"""The server process's tickets, shared by the app sessions and the cookie route."""
