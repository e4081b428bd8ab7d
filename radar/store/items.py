"""Store items once per feed and group them into cross-feed stories; query them back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from radar.errors import SearchError
from radar.records import Item
from radar.store.bulk import insert_feeds_bulk
from radar.timefmt import to_iso


def insert_items(
    db: sqlite_utils.Database, feed_id: str, items: Iterable[Item], fetched_at: datetime
) -> int:
    """Insert the items not yet stored for this feed, grouped into stories; return how many.

    The same path as an archive import, a batch at a time: each batch of ``BATCH`` items is
    committed on its own unless the caller holds a transaction, which it then joins.
    """
    return insert_feeds_bulk(db, {feed_id: items}, fetched_at)[feed_id]


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


def _filters(query: ItemQuery) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``items i``) shared by the listing and its count."""
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
    return (" WHERE " + " AND ".join(where)) if where else "", params


def query_items(db: sqlite_utils.Database, query: ItemQuery) -> list[dict[str, Any]]:
    """List items newest first, with source name and story size, matching the filters.

    Search uses the trigram index (any substring of 3+ characters, Japanese included); shorter
    terms such as "AI" or "5G" fall back to a substring scan. ``%`` and ``_`` are literal.
    A search over MAX_SEARCH_TERMS words or MAX_SEARCH_CHARS characters raises SearchError.
    """
    where, params = _filters(query)
    sql = (
        "SELECT i.id, i.feed_id, f.name AS source, i.link, i.title, i.summary_text,"
        " i.published_at AS published, i.date_missing, i.lang, i.story_id,"
        " coalesce(s.n_sources, 1) AS story_sources, sc.quadrant,"
        " round(sc.quadrant_confidence, 3) AS quadrant_confidence,"
        " round(sc.relevance, 3) AS relevance"
        " FROM items i JOIN feeds f ON f.id = i.feed_id LEFT JOIN stories s ON s.id = i.story_id"
        " LEFT JOIN scores sc ON sc.item_id = i.id" + where
    )
    sql += " ORDER BY i.published_at DESC, i.id DESC"
    if query.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params.extend([query.limit, query.offset])
    return list(db.query(sql, params))


def count_matching(db: sqlite_utils.Database, query: ItemQuery) -> int:
    """How many items match the filters (``limit`` and ``offset`` ignored): the page count.

    The same clauses as :func:`query_items`, so the number shown is the number listed.
    """
    where, params = _filters(query)
    return int(db.execute("SELECT count(*) FROM items i" + where, params).fetchone()[0])


# Highlight marks around matched text in an excerpt: plain characters, because the excerpt
# is shown as text (feed text never becomes markup), and a Japanese reader knows 【】.
MARK_OPEN, MARK_CLOSE, ELLIPSIS = "【", "】", "…"
EXCERPT_TOKENS = 48  # the trigram tokenizer makes about one token per character


def excerpts(db: sqlite_utils.Database, search: str, ids: Iterable[int]) -> dict[int, str]:
    """Each listed item's summary around the searched words, matches in 【】 (FTS5 snippet).

    The title is already on screen; the summary is where a hit that the title does not show
    comes from. Words under 3 characters are not in the trigram index, so they are marked by
    :func:`mark_terms` instead. Items with an empty summary get no entry.
    """
    wanted = list(ids)
    terms = search_terms(search)
    indexed = [term for term in terms if len(term) >= 3]
    found: dict[int, str] = {}
    if wanted and indexed:
        rows = db.execute(
            "SELECT rowid, snippet(items_fts, 1, ?, ?, ?, ?) FROM items_fts"
            f" WHERE items_fts MATCH ? AND rowid IN ({', '.join('?' * len(wanted))})",
            [MARK_OPEN, MARK_CLOSE, ELLIPSIS, EXCERPT_TOKENS,
             " ".join(_fts_phrase(term) for term in indexed), *wanted],
        ).fetchall()  # fmt: skip
        found = {rowid: text for rowid, text in rows if text}
    short = [term for term in terms if len(term) < 3]
    missing = [i for i in wanted if i not in found]
    if missing:
        rows = db.execute(
            f"SELECT id, summary_text FROM items WHERE id IN ({', '.join('?' * len(missing))})",
            missing,
        ).fetchall()
        found.update({rowid: excerpt_of(text, terms) for rowid, text in rows if text})
    if short:
        found = {rowid: mark_terms(text, short) for rowid, text in found.items()}
    return found


def excerpt_of(text: str, terms: list[str], width: int = EXCERPT_TOKENS) -> str:
    """About ``width`` characters of ``text`` around the first term found, matches marked."""
    folded = text.casefold()
    hits = [folded.find(term.casefold()) for term in terms]
    first = min((hit for hit in hits if hit >= 0), default=0)
    start = max(0, first - width // 4)
    piece = text[start : start + width]
    piece = (ELLIPSIS if start else "") + piece + (ELLIPSIS if start + width < len(text) else "")
    return mark_terms(piece, terms)


def mark_terms(text: str, terms: list[str]) -> str:
    """Put 【】 around each case-insensitive occurrence of a term not marked already."""
    pattern = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    if not pattern:
        return text
    parts = re.split(f"({re.escape(MARK_OPEN)}.*?{re.escape(MARK_CLOSE)})", text)
    return "".join(
        part if part.startswith(MARK_OPEN) else
        re.sub(pattern, lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE, part, flags=re.IGNORECASE)
        for part in parts
    )  # fmt: skip


def count_items(db: sqlite_utils.Database) -> int:
    """Return how many items the store holds (0 means a first run: offer the demo)."""
    return int(db.execute("SELECT count(*) FROM items").fetchone()[0])
