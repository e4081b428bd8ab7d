"""Store items once per feed and group them into cross-feed stories; query them back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from radar.errors import SearchError
from radar.ingest.dedupe import STORY_WINDOW, normalise_title, same_story, title_keys
from radar.records import Item
from radar.store.db import as_dicts
from radar.timefmt import to_iso

_INSERT = """
INSERT OR IGNORE INTO items (feed_id, key, guid, link, canonical_url, title, summary_html,
    summary_text, published_at, date_missing, fetched_at, lang)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def _find_story(conn: sqlite3.Connection, item: Item, norm: str) -> int | None:
    if item.canonical_url:
        row = conn.execute(
            "SELECT id FROM stories WHERE canonical_url = ? LIMIT 1", [item.canonical_url]
        ).fetchone()
        if row:
            return int(row[0])
    head, tail = title_keys(norm)
    low = to_iso(item.published - STORY_WINDOW)
    high = to_iso(item.published + STORY_WINDOW)
    rows = conn.execute(
        "SELECT id, title_norm FROM stories"
        " WHERE title_head = ? AND first_published BETWEEN ? AND ?"
        " UNION SELECT id, title_norm FROM stories"
        " WHERE title_tail = ? AND first_published BETWEEN ? AND ? LIMIT 50",
        [head, low, high, tail, low, high],
    ).fetchall()
    for story_id, other in rows:
        if same_story(norm, other):
            return int(story_id)
    return None


def _attach_story(conn: sqlite3.Connection, item_id: int, item: Item) -> int:
    norm = normalise_title(item.title)
    published = to_iso(item.published)
    story_id = _find_story(conn, item, norm)
    if story_id is None:
        head, tail = title_keys(norm)
        cursor = conn.execute(
            "INSERT INTO stories (canonical_url, title_norm, title_head, title_tail,"
            " first_published, last_published, n_items, n_sources) VALUES (?,?,?,?,?,?,1,1)",
            [item.canonical_url or None, norm, head, tail, published, published],
        )
        story_id = int(cursor.lastrowid or 0)
        conn.execute("UPDATE items SET story_id = ? WHERE id = ?", [story_id, item_id])
        return story_id
    conn.execute("UPDATE items SET story_id = ? WHERE id = ?", [story_id, item_id])
    conn.execute(
        "UPDATE stories SET n_items = n_items + 1,"
        " n_sources = (SELECT count(DISTINCT feed_id) FROM items WHERE story_id = ?),"
        " last_published = max(last_published, ?),"
        " canonical_url = coalesce(canonical_url, ?) WHERE id = ?",
        [story_id, published, item.canonical_url or None, story_id],
    )
    return story_id


def insert_items(
    db: sqlite_utils.Database, feed_id: str, items: Iterable[Item], fetched_at: datetime
) -> int:
    """Insert the items not yet stored for this feed; return how many were new.

    The caller owns the transaction, so a feed's items, its health and its log entry are
    committed together or not at all.
    """
    conn = db.conn
    fetched = to_iso(fetched_at)
    new = 0
    for item in items:
        cursor = conn.execute(
            _INSERT,
            [
                feed_id,
                item.key,
                item.guid,
                item.link,
                item.canonical_url,
                item.title,
                item.summary_html,
                item.summary_text,
                to_iso(item.published),
                int(item.date_missing),
                fetched,
                item.lang,
            ],
        )
        if cursor.rowcount:
            new += 1
            _attach_story(conn, int(cursor.lastrowid or 0), item)
    return new


@dataclass(frozen=True)
class ItemQuery:
    """Filters for listing items; ``limit=None`` means every match."""

    search: str | None = None
    since: datetime | None = None
    feed_id: str | None = None
    lang: str | None = None
    limit: int | None = None
    offset: int = 0
    ids: tuple[int, ...] | None = None


# A search is at most this many words and characters: each word is one clause, and SQLite
# refuses a query of about 1,000 ("Expression tree is too large"); people search a few words.
MAX_SEARCH_TERMS = 20
MAX_SEARCH_CHARS = 300
_LIKE_ESCAPE = "\\"


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _like_literal(text: str) -> str:
    """``%`` and ``_`` (and the escape itself) as plain characters in a LIKE pattern."""
    for char in (_LIKE_ESCAPE, "%", "_"):
        text = text.replace(char, _LIKE_ESCAPE + char)
    return f"%{text}%"


def search_terms(text: str) -> list[str]:
    """The distinct words of a search; SearchError (saying the limit) when it is too big."""
    if len(text) > MAX_SEARCH_CHARS:
        raise SearchError(
            f"search: at most {MAX_SEARCH_CHARS} characters (this one has {len(text)});"
            " search for fewer, more telling words"
        )
    terms = list(dict.fromkeys(text.split()))
    if len(terms) > MAX_SEARCH_TERMS:
        raise SearchError(
            f"search: at most {MAX_SEARCH_TERMS} words (this one has {len(terms)});"
            " search for fewer, more telling words"
        )
    return terms


def _search_clauses(text: str) -> tuple[list[str], list[Any]]:
    """Every word must match, as typed: no wildcards, no FTS5 operators."""
    where: list[str] = []
    params: list[Any] = []
    for term in search_terms(text):
        if len(term) >= 3:
            where.append("i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
            params.append(_fts_phrase(term))
        else:
            where.append(
                f"(i.title LIKE ? ESCAPE '{_LIKE_ESCAPE}'"
                f" OR i.summary_text LIKE ? ESCAPE '{_LIKE_ESCAPE}')"
            )
            params.extend([_like_literal(term)] * 2)
    return where, params


def query_items(db: sqlite_utils.Database, query: ItemQuery) -> list[dict[str, Any]]:
    """List items newest first, with source name and story size, matching the filters.

    Search uses the trigram index (any substring of 3+ characters, Japanese included); shorter
    terms such as "AI" or "5G" fall back to a substring scan. ``%`` and ``_`` are literal.
    A search over MAX_SEARCH_TERMS words or MAX_SEARCH_CHARS characters raises SearchError.
    """
    where: list[str] = []
    params: list[Any] = []
    if query.search:
        where, params = _search_clauses(query.search)
    if query.since:
        where.append("i.published_at >= ?")
        params.append(to_iso(query.since))
    if query.feed_id:
        where.append("i.feed_id = ?")
        params.append(query.feed_id)
    if query.lang:
        where.append("i.lang = ?")
        params.append(query.lang)
    if query.ids is not None:
        where.append(f"i.id IN ({', '.join('?' * len(query.ids))})" if query.ids else "0")
        params.extend(query.ids)
    sql = (
        "SELECT i.id, i.feed_id, f.name AS source, i.link, i.title, i.summary_text,"
        " i.published_at AS published, i.date_missing, i.lang, i.story_id,"
        " coalesce(s.n_sources, 1) AS story_sources, sc.quadrant,"
        " round(sc.quadrant_confidence, 3) AS quadrant_confidence,"
        " round(sc.relevance, 3) AS relevance"
        " FROM items i JOIN feeds f ON f.id = i.feed_id LEFT JOIN stories s ON s.id = i.story_id"
        " LEFT JOIN scores sc ON sc.item_id = i.id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY i.published_at DESC, i.id DESC"
    if query.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params.extend([query.limit, query.offset])
    cursor = db.execute(sql, params)
    return as_dicts(cursor)


def count_items(db: sqlite_utils.Database) -> int:
    """Return how many items the store holds (0 means a first run: offer the demo)."""
    return int(db.execute("SELECT count(*) FROM items").fetchone()[0])
