"""Feeds, their health and the fetch log.

Feeds are keyed by a stable id (a slug of the name). The configured URL is kept apart from
the current URL, so a permanent redirect can move the feed without the next config sync
moving it back, while editing the URL in feeds.yaml still takes effect.

Feeds from feeds.yaml are matched by that id (the file owns its names). Feeds added by
address (``radar feeds add``, OPML, the app) are matched by their URL instead: two
subscriptions titled "News" are two feeds with ids ``news`` and ``news-2``, and the same
address added twice is one feed, whatever its title.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from radar.errors import ConfigError
from radar.records import FeedSpec, FeedState
from radar.store.db import transaction
from radar.timefmt import to_iso

ARCHIVE_ORIGIN = "archive"  # a source created by `radar import-archive`: never polled


def sync_feeds(
    db: sqlite_utils.Database, specs: Iterable[FeedSpec], origin: str, now: datetime
) -> int:
    """Insert or update configured feeds; return how many were new.

    A configured feed is matched by its id, so editing its URL in feeds.yaml moves it; but
    a feed added another way (OPML, the CLI, the app) that holds the same id for another
    address is never taken over: the configured one is kept as ``<id>-<origin>``.
    """
    new = 0
    with transaction(db):
        for spec in specs:
            feed_id = _own_id(db, spec, origin)
            row = db.execute("SELECT config_url FROM feeds WHERE id = ?", [feed_id]).fetchone()
            tags = json.dumps(list(spec.tags), ensure_ascii=False)
            if row is None:
                _insert(db, spec, feed_id, origin, now)
                new += 1
                continue
            db.execute(
                "UPDATE feeds SET name = ?, lang = ?, tags = ?, interval_minutes = ?,"
                " effective_interval = max(effective_interval, ?) WHERE id = ?",
                [spec.name, spec.lang, tags, spec.interval_minutes, spec.interval_minutes,
                 feed_id],
            )  # fmt: skip
            if row[0] != spec.url:
                db.execute(
                    "UPDATE feeds SET url = ?, config_url = ?, etag = NULL, last_modified = NULL,"
                    " body_hash = NULL, enabled = 1, disabled_reason = NULL, error_count = 0,"
                    " next_due_at = NULL WHERE id = ?",
                    [spec.url, spec.url, feed_id],
                )
    return new


def _own_id(db: sqlite_utils.Database, spec: FeedSpec, origin: str) -> str:
    row = db.execute("SELECT origin, config_url, url FROM feeds WHERE id = ?", [spec.id]).fetchone()
    if row is None or row[0] == origin or spec.url in (row[1], row[2]):
        return spec.id
    return f"{spec.id}-{origin}"


def _insert(
    db: sqlite_utils.Database, spec: FeedSpec, feed_id: str, origin: str, now: datetime
) -> None:
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, origin, lang, tags,"
        " interval_minutes, effective_interval, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [feed_id, spec.name, spec.url, spec.url, origin, spec.lang,
         json.dumps(list(spec.tags), ensure_ascii=False), spec.interval_minutes,
         spec.interval_minutes, to_iso(now)],
    )  # fmt: skip


AddressKey = Callable[[str], str]  # a URL to the identity of the address it names


def feeds_by_url(db: sqlite_utils.Database, key: AddressKey) -> dict[str, str]:
    """``key(url)`` -> feed id, for every feed's configured and current (redirected) URL.

    When feeds.yaml lists one address twice, the oldest feed answers for it.
    """
    known: dict[str, str] = {}
    rows = db.execute("SELECT id, config_url, url FROM feeds ORDER BY created_at, id")
    for feed_id, config_url, url in rows.fetchall():
        for address in (config_url, url):
            known.setdefault(key(address), feed_id)
    return known


def unique_id(preferred: str, taken: set[str]) -> str:
    """``preferred``, or the first of ``preferred-2``, ``preferred-3``... not in ``taken``."""
    candidate, n = preferred, 1
    while candidate in taken:
        n += 1
        candidate = f"{preferred}-{n}"
    return candidate


def add_feeds(
    db: sqlite_utils.Database,
    specs: Iterable[FeedSpec],
    origin: str,
    now: datetime,
    key: AddressKey,
) -> list[tuple[str, bool]]:
    """Subscribe to feeds by address; return (feed id, added now?) for each spec, in order.

    A spec whose address (by ``key``, the caller's canonical form) is already a feed, or
    repeats an earlier spec's, is not added and names that feed. ``spec.id`` is only the
    preferred id: a taken one gets a numeric suffix, so a shared title never points one
    feed at another's URL.
    """
    results: list[tuple[str, bool]] = []
    with transaction(db):
        known = feeds_by_url(db, key)
        taken = {row[0] for row in db.execute("SELECT id FROM feeds").fetchall()}
        for spec in specs:
            address = key(spec.url)
            if address in known:
                results.append((known[address], False))
                continue
            feed_id = unique_id(spec.id, taken)
            _insert(db, spec, feed_id, origin, now)
            known[address] = feed_id
            taken.add(feed_id)
            results.append((feed_id, True))
    return results


def feed_exists(db: sqlite_utils.Database, feed_id: str) -> bool:
    """Say whether a feed id is taken."""
    return db.execute("SELECT 1 FROM feeds WHERE id = ?", [feed_id]).fetchone() is not None


def set_enabled(db: sqlite_utils.Database, feed_id: str, enabled: bool, reason: str | None) -> None:
    """Enable or disable a feed by hand (disabled feeds stay listed, with the reason).

    An archive source has no URL to poll, so enabling one is refused with a clear error.
    """
    origin = db.execute("SELECT origin FROM feeds WHERE id = ?", [feed_id]).fetchone()
    if enabled and origin and origin[0] == ARCHIVE_ORIGIN:
        raise ConfigError(
            f"feeds: {feed_id!r} is a source imported from an archive, not a feed; "
            "it is never polled (add its feed URL with `radar feeds add` instead)"
        )
    with transaction(db):
        db.execute(
            "UPDATE feeds SET enabled = ?, disabled_reason = ?, next_due_at = NULL WHERE id = ?",
            [int(enabled), None if enabled else reason, feed_id],
        )


def due_feeds(
    db: sqlite_utils.Database,
    now: datetime,
    everything: bool,
    only: Iterable[str] | None = None,
    skip_origin: str | None = None,
) -> list[FeedState]:
    """Enabled feeds whose next poll time has come (or all enabled ones), optionally a subset."""
    sql = (
        "SELECT id, url, etag, last_modified, body_hash, error_count, effective_interval, lang"
        " FROM feeds WHERE enabled = 1"
    )
    params: list[Any] = []
    if not everything:
        sql += " AND (next_due_at IS NULL OR next_due_at <= ?)"
        params.append(to_iso(now))
    if only is not None:
        ids = sorted(only)
        sql += f" AND id IN ({', '.join('?' * len(ids))})"
        params.extend(ids)
    if skip_origin:
        sql += " AND origin != ?"
        params.append(skip_origin)
    rows = db.execute(sql + " ORDER BY id", params).fetchall()
    return [
        FeedState(
            id=r[0], url=r[1], etag=r[2], last_modified=r[3], body_hash=r[4],
            error_count=r[5], interval_minutes=r[6], lang=r[7],
        )
        for r in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class Attempt:
    """One fetch attempt's outcome, as recorded in the log and the feed's health."""

    feed_id: str
    started_at: datetime
    outcome: str  # "ok" | "not_modified" | "error"
    status: int | None
    duration_ms: int
    bytes: int = 0
    new_items: int = 0
    error: str | None = None
    warning: str | None = None


def record_attempt(
    db: sqlite_utils.Database,
    attempt: Attempt,
    next_due_at: datetime,
    *,
    validators: dict[str, str | None] | None = None,
    url: str | None = None,
    effective_interval: int | None = None,
    disable_reason: str | None = None,
    meta: dict[str, str | None] | None = None,
) -> None:
    """Write the log row and update the feed's health; the caller owns the transaction."""
    db.execute(
        "INSERT INTO fetch_log (feed_id, started_at, outcome, status, duration_ms, bytes,"
        " new_items, error) VALUES (?,?,?,?,?,?,?,?)",
        [attempt.feed_id, to_iso(attempt.started_at), attempt.outcome, attempt.status,
         attempt.duration_ms, attempt.bytes, attempt.new_items, attempt.error],
    )  # fmt: skip
    sets = {
        "last_attempt_at": to_iso(attempt.started_at),
        "last_status": attempt.status,
        "next_due_at": to_iso(next_due_at),
    }
    if attempt.outcome == "error":
        sets["last_error"] = attempt.error
        db.execute("UPDATE feeds SET error_count = error_count + 1 WHERE id = ?", [attempt.feed_id])
    else:
        sets.update(
            last_success_at=to_iso(attempt.started_at), error_count=0, last_error=None,
            last_warning=attempt.warning,
        )  # fmt: skip
    sets.update(validators or {})
    sets.update(meta or {})
    if url:
        sets["url"] = url
    if effective_interval:
        sets["effective_interval"] = effective_interval
    if disable_reason:
        sets.update(enabled=0, disabled_reason=disable_reason)
    assignments = ", ".join(f"{column} = ?" for column in sets)
    db.execute(f"UPDATE feeds SET {assignments} WHERE id = ?", [*sets.values(), attempt.feed_id])


def feed_status(row: dict[str, Any]) -> str:
    """'ok', 'failing', 'unfetched', 'disabled', or 'archive' (imported history, never polled).

    A feed that has never been fetched successfully and has no errors yet is 'unfetched', not
    'ok': nothing is known about it, and calling it healthy would hide a feed never polled.
    """
    if row["origin"] == ARCHIVE_ORIGIN:
        return "archive"
    if not row["enabled"]:
        return "disabled"
    if row["error_count"]:
        return "failing"
    return "ok" if row["last_success_at"] else "unfetched"


def feed_health(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every feed with its health: polled feeds first, broken ones first, then by name."""
    rows = db.query(
        "SELECT f.id, f.name, f.url, f.origin, f.lang, f.enabled, f.disabled_reason,"
        " f.last_success_at, f.last_attempt_at, f.last_status, f.last_error, f.last_warning,"
        " f.error_count, f.next_due_at, f.effective_interval,"
        " (SELECT count(*) FROM items i WHERE i.feed_id = f.id) AS item_count"
        " FROM feeds f"
        f" ORDER BY f.origin = '{ARCHIVE_ORIGIN}', (f.enabled = 0 OR f.error_count > 0) DESC,"
        " f.error_count DESC, f.name"
    )
    return list(rows)


def fetch_log(db: sqlite_utils.Database, feed_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """Recent attempts for one feed, newest first."""
    rows = db.query(
        "SELECT started_at, outcome, status, duration_ms, bytes, new_items, error"
        " FROM fetch_log WHERE feed_id = ? ORDER BY id DESC LIMIT ?",
        [feed_id, limit],
    )
    return list(rows)
