"""Hash and check staff passwords (PBKDF2-SHA256); read the users the app accepts.

Users come from the environment, never as plain text::

    RADAR_APP_USERS="sato:pbkdf2_sha256$600000$<salt b64>$<hash b64>,suzuki:pbkdf2_sha256$..."

Make an entry with ``python -m radar.app.auth NAME`` (asks for the password twice). Pure:
no Streamlit here, so the rules are tested without a browser.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys
from collections.abc import Mapping

from radar.errors import ConfigError

ALGORITHM = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000
MAX_ITERATIONS = 10_000_000
USERS_ENV = "RADAR_APP_USERS"
OPEN_READ_ENV = "RADAR_APP_OPEN_READ"
_FALSE = {"0", "false", "no", "off"}


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(
    password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None
) -> str:
    """Return ``pbkdf2_sha256$iterations$salt$hash`` for a password (random 16-byte salt).

    600,000 rounds by default, as OWASP advises for SHA-256; a fixed ``salt`` is for tests.
    """
    if not password:
        raise ConfigError("auth: the password must not be empty")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def _parse(encoded: str) -> tuple[int, bytes, bytes]:
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        raise ValueError("not a pbkdf2_sha256 hash")
    iterations = int(parts[1])
    if not 1 <= iterations <= MAX_ITERATIONS:
        raise ValueError("iterations out of range")
    salt = base64.b64decode(parts[2], validate=True)
    digest = base64.b64decode(parts[3], validate=True)
    if not salt or not digest:
        raise ValueError("empty salt or hash")
    return iterations, salt, digest


def verify_password(password: str, encoded: str) -> bool:
    """Say whether ``password`` matches a stored hash (constant-time comparison)."""
    try:
        iterations, salt, digest = _parse(encoded)
    except (ValueError, TypeError):
        return False
    candidate = hashlib.pbkdf2_hmac(
        "sha256", password.encode("utf-8"), salt, iterations, dklen=len(digest)
    )
    return hmac.compare_digest(candidate, digest)


def parse_users(text: str) -> dict[str, str]:
    """Read ``name:hash,name:hash``; a bad entry stops with its position (never its hash).

    A name given twice is a configuration error: silently letting the later entry win
    would leave an old password working or a new one not, with nothing to say which.
    """
    users: dict[str, str] = {}
    first: dict[str, int] = {}
    for index, entry in enumerate(part.strip() for part in text.split(",")):
        if not entry:
            continue
        name, sep, encoded = entry.partition(":")
        name = name.strip()
        try:
            if not sep or not name:
                raise ValueError("expected name:hash")
            _parse(encoded.strip())
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"auth: {USERS_ENV} entry {index + 1} is not"
                f" name:pbkdf2_sha256$iterations$salt$hash ({exc});"
                " make one with `python -m radar.app.auth NAME`"
            ) from None
        if name in users:
            raise ConfigError(
                f"auth: {USERS_ENV} names {name!r} twice (entries {first[name]} and"
                f" {index + 1}); keep one entry per user"
            )
        users[name], first[name] = encoded.strip(), index + 1
    return users


def load_users(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The users allowed to sign in, from ``RADAR_APP_USERS`` (empty: nobody can write)."""
    env = os.environ if env is None else env
    return parse_users(env.get(USERS_ENV, ""))


def reading_is_open(env: Mapping[str, str] | None = None) -> bool:
    """Whether reading needs no sign-in (``RADAR_APP_OPEN_READ``, default open)."""
    env = os.environ if env is None else env
    return env.get(OPEN_READ_ENV, "1").strip().lower() not in _FALSE


def authenticate(users: Mapping[str, str], name: str, password: str) -> bool:
    """Check a sign-in with the same work for every name, so timing reveals none of them.

    Every check costs the highest PBKDF2 round count in use: an unknown name is checked
    against a dummy hash with that count, and a user whose hash has fewer rounds is topped
    up with the difference.
    """
    most = max((_parse(e)[0] for e in users.values()), default=DEFAULT_ITERATIONS)
    encoded = users.get(name.strip())
    if encoded is None:
        verify_password(password, f"{ALGORITHM}${most}${_b64(b'x' * 16)}${_b64(b'0' * 32)}")
        return False
    extra = most - _parse(encoded)[0]
    if extra > 0:
        hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), b"x" * 16, extra)
    return verify_password(password, encoded)


def main(argv: list[str] | None = None) -> int:
    """Print a ``RADAR_APP_USERS`` entry for a name, asking for the password twice."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or ":" in args[0] or "," in args[0]:
        print("usage: python -m radar.app.auth NAME   (no ':' or ',' in NAME)", file=sys.stderr)
        return 2
    first = getpass.getpass("Password: ")
    if not first or first != getpass.getpass("Again: "):
        print("auth: the passwords are empty or differ", file=sys.stderr)
        return 1
    print(f"{args[0]}:{hash_password(first)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
