"""Failed sign-ins: five per name or session in fifteen minutes, then a wait that says how long."""

from __future__ import annotations

from radar.app.signin_limit import (
    MAX_FAILURES,
    WINDOW_SECONDS,
    SignInLimit,
    name_key,
    session_key,
)


def test_five_failures_lock_the_name_for_every_session() -> None:
    limit = SignInLimit()
    for n in range(MAX_FAILURES):
        assert limit.wait_seconds([name_key("sato")], now=n) == 0
        limit.failed([name_key("sato"), session_key(f"s{n}")], now=n)  # a new session each try
    assert limit.wait_minutes([name_key(" sato "), session_key("fresh")], now=10) == 15
    assert limit.wait_minutes([name_key("suzuki"), session_key("fresh")], now=10) == 0
    assert limit.wait_minutes([name_key("sato")], now=WINDOW_SECONDS - 59) == 1
    assert limit.wait_seconds([name_key("sato")], now=WINDOW_SECONDS + 1) == 0


def test_five_failures_lock_the_session_whatever_names_it_tries() -> None:
    limit = SignInLimit()
    for n in range(MAX_FAILURES):
        limit.failed([name_key(f"guess{n}"), session_key("s")], now=0)
    assert limit.wait_minutes([name_key("sato"), session_key("s")], now=60) == 14
    assert limit.wait_minutes([name_key("sato"), session_key("other")], now=60) == 0


def test_a_success_clears_the_count_and_old_failures_expire() -> None:
    limit = SignInLimit()
    keys = [name_key("sato"), session_key("s")]
    for _ in range(MAX_FAILURES - 1):
        limit.failed(keys, now=0)
    limit.succeeded(keys)
    limit.failed(keys, now=1)
    assert limit.wait_seconds(keys, now=1) == 0
    for n in range(MAX_FAILURES - 1):  # a slow trickle stays under the limit
        limit.failed(keys, now=WINDOW_SECONDS * (n + 1) + 2)
    assert limit.wait_seconds(keys, now=WINDOW_SECONDS * 5) == 0


def test_probing_many_names_does_not_grow_memory_without_bound() -> None:
    limit = SignInLimit(max_keys=100)
    for n in range(1_000):
        limit.failed([name_key(f"n{n}")], now=n)
    assert len(limit._failures) <= 101
    assert limit.wait_seconds([name_key("n999")], now=1_000) == 0
