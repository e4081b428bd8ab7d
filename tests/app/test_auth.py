"""Password hashing and the user list: no plain text, constant-time checks, clear errors."""

from __future__ import annotations

import hashlib

import pytest

from radar.app.auth import (
    authenticate,
    hash_password,
    load_users,
    main,
    parse_users,
    reading_is_open,
    verify_password,
)
from radar.errors import ConfigError


def test_a_hash_verifies_only_its_password_and_never_contains_it() -> None:
    encoded = hash_password("s3cret-パスワード", iterations=1000)
    assert encoded.startswith("pbkdf2_sha256$1000$")
    assert "s3cret" not in encoded
    assert verify_password("s3cret-パスワード", encoded)
    assert not verify_password("s3cret", encoded)
    assert hash_password("same", iterations=1000) != hash_password("same", iterations=1000)


@pytest.mark.parametrize(
    "encoded",
    ["", "plain", "md5$1$AA==$AA==", "pbkdf2_sha256$0$AA==$AA==", "pbkdf2_sha256$x$AA==$AA==",
     "pbkdf2_sha256$10$!!$AA=="],
)  # fmt: skip
def test_malformed_hashes_never_verify(encoded: str) -> None:
    assert not verify_password("anything", encoded)


def test_users_parse_from_the_environment() -> None:
    a, b = hash_password("a", iterations=1000), hash_password("b", iterations=1000)
    users = load_users({"RADAR_APP_USERS": f"sato:{a}, suzuki:{b},"})
    assert users == {"sato": a, "suzuki": b}
    assert authenticate(users, "sato", "a") and authenticate(users, " suzuki ", "b")
    assert not authenticate(users, "sato", "b")
    assert not authenticate(users, "nobody", "a")
    assert load_users({}) == {}


@pytest.mark.parametrize("text", ["sato", "sato:plainpassword", ":pbkdf2_sha256$1$AA==$AA=="])
def test_a_bad_user_entry_is_refused_without_echoing_it(text: str) -> None:
    with pytest.raises(ConfigError, match="entry 1") as error:
        parse_users(text)
    assert "plainpassword" not in str(error.value)


def test_reading_is_open_unless_switched_off() -> None:
    assert reading_is_open({})
    assert reading_is_open({"RADAR_APP_OPEN_READ": "1"})
    assert not reading_is_open({"RADAR_APP_OPEN_READ": "0"})
    assert not reading_is_open({"RADAR_APP_OPEN_READ": "false"})


def test_the_helper_prints_an_entry_for_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "pw-123")
    monkeypatch.setattr("radar.app.auth.DEFAULT_ITERATIONS", 1000)
    assert main(["sato"]) == 0
    entry = capsys.readouterr().out.strip()
    assert "pw-123" not in entry
    assert authenticate(parse_users(entry), "sato", "pw-123")
    assert main(["sa:to"]) == 2


def test_a_name_given_twice_is_a_configuration_error() -> None:
    a, b = hash_password("a", iterations=1000), hash_password("b", iterations=1000)
    with pytest.raises(ConfigError, match=r"'sato' twice \(entries 1 and 3\)") as error:
        parse_users(f"sato:{a},suzuki:{b}, sato :{b}")
    assert a not in str(error.value) and b not in str(error.value)


def test_every_name_costs_the_highest_round_count_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    users = {
        "quick": hash_password("pw", iterations=1000),
        "slow": hash_password("pw", iterations=50_000),
    }
    rounds: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counted(name: str, password: bytes, salt: bytes, iterations: int, **kw: int) -> bytes:
        rounds.append(iterations)
        return real(name, password, salt, iterations, **kw)

    monkeypatch.setattr("radar.app.auth.hashlib.pbkdf2_hmac", counted)
    work = {}
    for name, password in (("nobody", "pw"), ("quick", "pw"), ("quick", "no"), ("slow", "pw")):
        rounds.clear()
        authenticate(users, name, password)
        work[name, password] = sum(rounds)
    assert set(work.values()) == {50_000}, work
    assert authenticate(users, "quick", "pw") and not authenticate(users, "quick", "no")
