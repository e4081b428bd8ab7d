"""Insert items and group them into stories, a batch at a time: every insert comes here.

A feed poll is a small batch, an archive back-fill a long run of them. A batch is filtered
against the stored keys with one query, its candidate stories read with a few indexed
queries, each bounded per item, grouped in memory by ``radar.stories``, and written with two
statements, the new stories and then the items (already carrying their story id), plus an
update of the older stories the batch joined (an older item moves a story's first date back).

Rows travel to and from SQLite as one JSON array per statement (``json_each`` in,
``json_group_array`` out) rather than through ``executemany`` or row-by-row fetching, for
two measured reasons: (1) FTS5 flushes its pending index data at every statement's
savepoint, so the ``items_ai`` trigger run under ``executemany`` wrote a tiny index segment
per item and then merged them (one INSERT ... SELECT per batch made the import about three
times faster); (2) every SQLite step releases the GIL, and with the archive reader parsing
in another thread, thousands of tiny steps per batch each waited for the GIL to come back.

Every function expects the caller's connection from ``radar.store.db.open_db``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

import sqlite_utils

from radar import stories
from radar.errors import StoreError
from radar.records import Item
from radar.slug import slugify
from radar.store.db import transaction
from radar.store.feeds import ARCHIVE_ORIGIN
from radar.stories import STORY_WINDOW, Story, StoryGrouper, normalise_title, title_keys
from radar.timefmt import to_iso

BATCH = 2000  # items per write transaction: under a second, so others never wait long
_T = TypeVar("_T")
_Prepared = tuple[str, Item, str, str, str, str]  # feed, item, title, published, window
BULK_CACHE_MB = 128
BULK_WAL_PAGES = 16_384  # 64 MB of 4 KB pages between automatic checkpoints
ARCHIVE_DISABLED_REASON = "archive source (imported, not polled)"

_ITEM_COLUMNS = (
    "fetched_at", "feed_id", "key", "guid", "link", "canonical_url", "title", "summary_html",
    "summary_text", "published_at", "date_missing", "lang", "story_id",
)  # fmt: skip
_STORY_COLUMNS = (
    "id", "canonical_url", "title_norm", "title_head", "title_tail", "first_published",
    "last_published", "n_items", "n_sources",
)  # fmt: skip


def _from_json(count: int) -> str:
    """Select list reading ``count`` fields from each array of a ``json_each`` row.

    JSON strings come back as TEXT and numbers as INTEGER, exactly as bound values would
    (a guid "007" stays text), and null as NULL.
    """
    return ", ".join(f"json_extract(value, '$[{i}]')" for i in range(count))


_INSERT_ITEMS = (
    f"INSERT OR IGNORE INTO items ({', '.join(_ITEM_COLUMNS)})"
    f" SELECT {_from_json(len(_ITEM_COLUMNS))} FROM json_each(?)"
)
_INSERT_STORIES = (
    f"INSERT INTO stories ({', '.join(_STORY_COLUMNS)})"
    f" SELECT {_from_json(len(_STORY_COLUMNS))} FROM json_each(?)"
)
# One probe per item: [feed id, key]; the join uses the UNIQUE (feed_id, key) index.
_STORED_KEYS = (
    "SELECT json_group_array(json_array(i.feed_id, i.key)) FROM json_each(?) j"
    " CROSS JOIN items i ON i.feed_id = json_extract(j.value, '$[0]')"
    " AND i.key = json_extract(j.value, '$[1]')"
)
_STORY_JSON = (
    "json_group_array(json_array(s.id, s.canonical_url, s.title_norm, s.first_published,"
    " s.last_published))"
)
_STORIES_BY_URL = (
    f"SELECT {_STORY_JSON} FROM json_each(?) j CROSS JOIN stories s ON s.canonical_url = j.value"
)


def _near_stories(column: str) -> str:
    """Candidates per probe [key, window start, window end]: the latest few in the window.

    CROSS JOIN keeps the batch (json_each) as the outer loop, and the LIMIT bounds each probe:
    10,000 headlines opening "Release notes:" cost 10,000 short index reads, not 10,000².
    """
    return (
        "SELECT json_group_array(json_array(p.key, s.id, s.canonical_url, s.title_norm,"
        " s.first_published, s.last_published)) FROM json_each(?) p CROSS JOIN stories s"
        f" WHERE s.id IN (SELECT id FROM stories WHERE {column} = json_extract(p.value, '$[0]')"
        " AND first_published BETWEEN json_extract(p.value, '$[1]')"
        " AND json_extract(p.value, '$[2]')"
        f" ORDER BY first_published DESC LIMIT {stories.CANDIDATES})"
    )


_NEAR = tuple(_near_stories(c) for c in ("title_norm", "title_head", "title_tail"))
# Older stories the batch joined: [story id, items added, first, last, URL if it had none].
_UPDATE_STORIES = """
UPDATE stories SET n_items = n_items + json_extract(j.value, '$[1]'),
    n_sources = (SELECT count(DISTINCT feed_id) FROM items WHERE story_id = stories.id),
    first_published = min(first_published, json_extract(j.value, '$[2]')),
    last_published = max(last_published, json_extract(j.value, '$[3]')),
    canonical_url = coalesce(canonical_url, json_extract(j.value, '$[4]'))
FROM json_each(?) j WHERE stories.id = json_extract(j.value, '$[0]')
"""


@contextmanager
def bulk_session(
    db: sqlite_utils.Database, cache_mb: int = BULK_CACHE_MB, wal_pages: int = BULK_WAL_PAGES
) -> Iterator[None]:
    """Tune this connection for a long bulk write, and restore its settings afterwards.

    Story and item indexes are keyed by URL, key and headline, so a large import touches
    index pages all over the file: with SQLite's default 2 MB page cache most inserts read a
    page back and dirty pages spill mid-transaction, and with the default checkpoint every
    1,000 WAL pages nearly every commit also copied the WAL back into the database. Both are
    per-connection settings (no schema or file change); other connections are unaffected.
    Measured on a million synthetic rows in 5,000-row transactions, the two together cut
    the import from 136 s to 92 s; past 128 MB a larger cache bought nothing measurable.
    """
    conn = db.conn
    cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    pages = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {-int(cache_mb) * 1024}")
    conn.execute(f"PRAGMA wal_autocheckpoint = {int(wal_pages)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        if not conn.in_transaction:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # fold the large WAL back now


def archive_feed_url(source: str) -> str:
    """The pseudo-URL that marks a feed as an imported archive source (never fetched)."""
    return f"archive:{source}"


def ensure_archive_feeds(
    db: sqlite_utils.Database, sources: Iterable[str], now: datetime
) -> dict[str, str]:
    """Give each archive source a disabled feed of origin 'archive'; return source -> feed id.

    Each source is its own feed so that it counts as an independent source in story and
    staying-power evidence. The feed is created disabled (the scheduler only polls enabled
    feeds) and an existing one is left as it is, so re-importing never changes a feed a user
    edited. The id is ``archive-<slug>``; in the unlikely case that id already belongs to
    another feed, a hash of the source name is appended.
    """
    ids: dict[str, str] = {}
    with transaction(db):
        for source in dict.fromkeys(sources):
            url = archive_feed_url(source)
            feed_id = f"archive-{slugify(source)}"
            row = db.execute("SELECT url FROM feeds WHERE id = ?", [feed_id]).fetchone()
            if row is not None and row[0] != url:
                feed_id += "-" + hashlib.sha1(source.encode()).hexdigest()[:6]
                row = db.execute("SELECT url FROM feeds WHERE id = ?", [feed_id]).fetchone()
                if row is not None and row[0] != url:
                    raise StoreError(f"store: feed id {feed_id!r} is taken by {row[0]!r}")
            if row is None:
                db.execute(
                    "INSERT INTO feeds (id, name, url, config_url, origin, enabled,"
                    " disabled_reason, created_at) VALUES (?,?,?,?,?,0,?,?)",
                    [feed_id, source, url, url, ARCHIVE_ORIGIN, ARCHIVE_DISABLED_REASON,
                     to_iso(now)],
                )  # fmt: skip
            ids[source] = feed_id
    return ids


def insert_feeds_bulk(
    db: sqlite_utils.Database,
    items_by_feed: Mapping[str, Iterable[Item]],
    fetched_at: datetime | Mapping[str, datetime],
) -> dict[str, int]:
    """Insert the items each feed does not hold yet, grouped into stories; return the counts.

    ``fetched_at`` is when the items were fetched: one moment for all, or one per feed (a
    poll stores several feeds fetched at different moments together).

    Idempotent: an item whose key its feed holds (or repeats; the first wins) is skipped. Each
    batch of ``BATCH`` is one transaction (the caller's, if open), so an interrupted insert
    keeps whole batches. A batch is grouped before the write lock is taken (again under it
    only if another insert came first), so staff writes get in between batches. Feeds share
    batches: per feed, on a million archive rows, the statement count cost a fifth of the time.
    """
    if isinstance(fetched_at, datetime):
        fetched = dict.fromkeys(items_by_feed, to_iso(fetched_at))
    else:
        fetched = {feed_id: to_iso(moment) for feed_id, moment in fetched_at.items()}
    new = dict.fromkeys(items_by_feed, 0)
    pairs = ((feed_id, item) for feed_id, items in items_by_feed.items() for item in items)
    conn = db.conn
    for chunk in _chunks(pairs, BATCH):
        seen = None if conn.in_transaction else _last_ids(conn)
        plan = _plan(conn, chunk, fetched)
        with transaction(db):
            if seen is not None and _last_ids(conn) != seen:
                plan = _plan(conn, chunk, fetched)  # another insert came first: again, locked
            for feed_id, count in _write(conn, plan).items():
                new[feed_id] += count
    return new


def _last_ids(conn: sqlite3.Connection) -> tuple[int | None, int | None]:
    """The newest item and story ids: a plan stays valid while neither moves.

    Stories only change when items are inserted (items are never deleted), so staff tags
    and other writes between planning and locking cost no second grouping.
    """
    item_id, story_id = conn.execute(
        "SELECT (SELECT max(id) FROM items), (SELECT max(id) FROM stories)"
    ).fetchone()
    return item_id, story_id


def _chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _dumps(rows: object) -> str:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _json_result(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Any]:
    """Run a query whose one row is a ``json_group_array`` and return it as a list."""
    row = conn.execute(sql, params).fetchone()
    return json.loads(row[0]) if row and row[0] else []


def _fresh_items(conn: sqlite3.Connection, items: list[tuple[str, Item]]) -> list[tuple[str, Item]]:
    """The (feed id, item) pairs whose key that feed does not hold yet (first repeat wins)."""
    by_key: dict[tuple[str, str], Item] = {}
    for feed_id, item in items:
        by_key.setdefault((feed_id, item.key), item)
    for feed_id, key in _json_result(conn, _STORED_KEYS, [_dumps(list(by_key))]):
        by_key.pop((feed_id, key), None)
    return [(feed_id, item) for (feed_id, _), item in by_key.items()]


def _load_candidates(
    conn: sqlite3.Connection, grouper: StoryGrouper, prepared: list[_Prepared]
) -> dict[int, list[Story]]:
    """Give the grouper the stories sharing a URL; return the others per item position."""
    urls = sorted({item.canonical_url for _, item, *_ in prepared if item.canonical_url})
    for row in sorted(_json_result(conn, _STORIES_BY_URL, [_dumps(urls)]) if urls else []):
        grouper.know(Story(*row))  # lowest id first: it wins the URL
    keys = [(n, *title_keys(n)) if len(n) >= stories.MIN_TITLE_CHARS else (None, None, None)
            for _, _, n, *_ in prepared]  # fmt: skip
    near: dict[int, list[Story]] = {}
    for side, sql in enumerate(_NEAR):
        probes = [(k[side], low, high) for k, (*_, low, high) in zip(keys, prepared, strict=True)]
        for position, *row in _json_result(conn, sql, [_dumps(probes)]):
            near.setdefault(position, []).append(Story(*row))
    return near


@dataclass
class _Plan:
    """One batch grouped into stories, ready to write: the rows of each statement."""

    new: dict[str, int] = field(default_factory=dict)  # items each feed gains
    items: list[tuple[Any, ...]] = field(default_factory=list)
    stories: list[tuple[Any, ...]] = field(default_factory=list)
    touched: list[tuple[Any, ...]] = field(default_factory=list)  # older stories joined


def _plan(
    conn: sqlite3.Connection, items: list[tuple[str, Item]], fetched: Mapping[str, str]
) -> _Plan:
    """Group one batch of (feed id, item) pairs into stories; read only, no lock needed.

    ``fetched`` is each feed's fetch time as stored (ISO text).
    """
    plan = _Plan()
    fresh = _fresh_items(conn, items)
    if not fresh:
        return plan
    iso_cache: dict[datetime, tuple[str, str, str]] = {}
    prepared: list[_Prepared] = []
    for feed_id, item in fresh:
        stamps = iso_cache.get(item.published)
        if stamps is None:
            stamps = (
                to_iso(item.published),
                to_iso(item.published - STORY_WINDOW),
                to_iso(item.published + STORY_WINDOW),
            )
            iso_cache[item.published] = stamps
        prepared.append((feed_id, item, normalise_title(item.title), *stamps))
    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])
    grouper = StoryGrouper(next_id)
    near = _load_candidates(conn, grouper, prepared)

    for position, (feed_id, item, norm, published, low, high) in enumerate(prepared):
        story = grouper.assign(
            feed_id, item.canonical_url, norm, published, (low, high), near.get(position, ())
        )
        plan.new[feed_id] = plan.new.get(feed_id, 0) + 1
        plan.items.append(
            (fetched[feed_id], feed_id, item.key, item.guid, item.link, item.canonical_url,
             item.title, item.summary_html, item.summary_text, published, int(item.date_missing),
             item.lang, story.id)
        )  # fmt: skip
    for story in grouper.stories.values():
        if story.is_new:
            head, tail = title_keys(story.norm)
            plan.stories.append(
                (story.id, story.url, story.norm, head, tail, story.first, story.last,
                 story.added, len(story.feeds))
            )  # fmt: skip
        elif story.added:
            plan.touched.append((story.id, story.added, story.first, story.last, story.new_url))
    return plan


def _write(conn: sqlite3.Connection, plan: _Plan) -> dict[str, int]:
    """Write a planned batch inside the caller's transaction; return each feed's new items."""
    if plan.stories:
        conn.execute(_INSERT_STORIES, [_dumps(plan.stories)])
    if plan.items:
        inserted = conn.execute(_INSERT_ITEMS, [_dumps(plan.items)]).rowcount
        if inserted != len(plan.items):
            # Cannot happen: the plan was checked under the write lock. Refuse rather than
            # leave story counts wrong.
            raise StoreError(f"store: {', '.join(plan.new)}: items changed during an insert")
    if plan.touched:
        conn.execute(_UPDATE_STORIES, [_dumps(plan.touched)])
    return plan.new
