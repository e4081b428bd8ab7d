"""Batched insertion for history archives: hundreds of thousands of items in minutes.

``radar.store.items.insert_items`` does one INSERT, two to four lookups and an UPDATE per
item, which suits a feed of 50 entries but not a back-fill of a million headlines. Here a
batch is filtered against the stored keys with one indexed query, grouped into stories in
memory (with one query for candidate stories by URL and one by title), and written with three
``executemany`` calls: the new stories, the items (already carrying their story id, so no
second pass over the items), and the few older stories the batch joined.

Story grouping follows ``_attach_story`` with one deliberate difference: only *exact*
matches are used (same canonical URL, else the same normalised title of at least
``MIN_TITLE_CHARS`` characters whose story started within ``STORY_WINDOW``). The fuzzy
``same_story`` comparison is skipped because its candidate scan and quadratic ratio would
dominate a bulk import, and archive titles are verbatim copies of what sites published, so a
re-post nearly always repeats the URL or the exact headline. Unlike ``_attach_story``,
``first_published`` also moves back when an older item joins a story, since archives are
not always in date order.

Every function expects the caller's connection from ``radar.store.db.open_db`` and writes
inside ``transaction`` (joining the caller's transaction when one is open).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

import sqlite_utils

from radar.config import slugify
from radar.errors import StoreError
from radar.ingest.dedupe import MIN_TITLE_CHARS, STORY_WINDOW, normalise_title, title_keys
from radar.records import Item
from radar.store.db import transaction
from radar.timefmt import to_iso

BATCH = 5000
ARCHIVE_ORIGIN = "archive"
ARCHIVE_DISABLED_REASON = "archive source (imported, not polled)"
_IN_CHUNK = 500  # values per IN (...) list, far below SQLite's variable limit

_ITEM_COLUMNS = (
    "feed_id, key, guid, link, canonical_url, title, summary_html, summary_text, published_at,"
    " date_missing, fetched_at, lang, story_id"
)
# Items are staged in a connection-private temporary table and copied with one INSERT ...
# SELECT: run through executemany, every row was its own statement, and FTS5 flushes its
# pending index data at each statement's savepoint, so the items_ai trigger wrote a tiny
# index segment per row (then merged them); one statement per batch made the import about
# three times faster. See _stage_items.
# Untyped columns (no affinity) so values reach ``items`` exactly as bound: a declared type
# such as ANY would mean NUMERIC affinity and turn a guid "007" into 7.
_CREATE_STAGE = f"""
CREATE TEMP TABLE IF NOT EXISTS bulk_items_stage (seq INTEGER PRIMARY KEY, {_ITEM_COLUMNS})
"""
_STAGE_ITEM = f"""
INSERT INTO temp.bulk_items_stage ({_ITEM_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
"""
_COPY_STAGED = f"""
INSERT OR IGNORE INTO items ({_ITEM_COLUMNS})
SELECT {_ITEM_COLUMNS} FROM temp.bulk_items_stage ORDER BY seq
"""
_INSERT_STORY = """
INSERT INTO stories (id, canonical_url, title_norm, title_head, title_tail, first_published,
    last_published, n_items, n_sources)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
"""
_UPDATE_STORY = """
UPDATE stories SET n_items = n_items + ?,
    n_sources = (SELECT count(DISTINCT feed_id) FROM items WHERE story_id = stories.id),
    first_published = min(first_published, ?), last_published = max(last_published, ?),
    canonical_url = coalesce(canonical_url, ?)
WHERE id = ?
"""


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


def insert_items_bulk(
    db: sqlite_utils.Database, feed_id: str, items: Iterable[Item], fetched_at: datetime
) -> int:
    """Insert the items not yet stored for this feed, grouped into stories; return how many.

    Idempotent like ``insert_items``: an item whose key this feed already holds (or that
    repeats an earlier key in ``items``; the first wins) is skipped. Items are written in
    batches of ``BATCH``, each batch in one transaction unless the caller already holds one,
    so an interrupted import keeps whole batches and re-running finishes the rest.
    """
    fetched = to_iso(fetched_at)
    new = 0
    for chunk in _chunks(items, BATCH):
        with transaction(db):
            new += _insert_chunk(db.conn, feed_id, chunk, fetched)
    return new


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


@dataclass
class _Story:
    """A story as the batch sees it: its stored state plus what the batch adds."""

    id: int
    url: str | None
    first: str
    last: str
    is_new: bool
    norm: str = ""
    added: int = 0
    new_url: str | None = None  # set when the batch fills a missing canonical URL


@dataclass
class _Grouper:
    """Assign stories to a batch's items in order, as ``_attach_story`` would one by one."""

    next_id: int
    by_url: dict[str, _Story] = field(default_factory=dict)
    by_norm: dict[str, list[_Story]] = field(default_factory=dict)
    stories: dict[int, _Story] = field(default_factory=dict)

    def add_stored(self, story: _Story) -> None:
        if story.id in self.stories:
            return
        self.stories[story.id] = story
        if story.url:
            self.by_url.setdefault(story.url, story)
        if len(story.norm) >= MIN_TITLE_CHARS:
            self.by_norm.setdefault(story.norm, []).append(story)

    def assign(self, url: str, norm: str, published: str, low: str, high: str) -> _Story:
        story = self.by_url.get(url) if url else None
        if story is None and len(norm) >= MIN_TITLE_CHARS:
            for candidate in self.by_norm.get(norm, ()):
                if low <= candidate.first <= high:
                    story = candidate
                    break
        if story is None:
            story = _Story(self.next_id, url or None, published, published, True, norm)
            self.next_id += 1
            self.add_stored(story)
        else:
            story.first = min(story.first, published)
            story.last = max(story.last, published)
            if url and story.url is None:
                story.url = story.new_url = url
                self.by_url.setdefault(url, story)
        story.added += 1
        return story


def _fresh_items(conn: sqlite3.Connection, feed_id: str, items: list[Item]) -> list[Item]:
    by_key: dict[str, Item] = {}
    for item in items:
        by_key.setdefault(item.key, item)
    keys = list(by_key)
    for part in _in_chunks(keys):
        for (key,) in conn.execute(
            f"SELECT key FROM items WHERE feed_id = ? AND key IN ({_marks(part)})",
            [feed_id, *part],
        ):
            by_key.pop(key, None)
    return list(by_key.values())


def _load_candidates(
    conn: sqlite3.Connection,
    grouper: _Grouper,
    urls: list[str],
    probes: list[tuple[str, str, str, str]],
) -> None:
    """Load the stored stories a batch may join: by canonical URL, or by exact title in window.

    The title probes go through a connection-private temporary table joined on the
    (title_head, first_published) index, so each lookup reads only stories with the same
    head *and* inside the item's window; an IN list over heads alone read every story that
    shares a common opening ("Ask HN: ..."), which made the lookup the slowest step.
    """
    columns = "s.id, s.canonical_url, s.title_norm, s.first_published, s.last_published"
    for part in _in_chunks(urls):
        for row in conn.execute(
            f"SELECT {columns} FROM stories s WHERE s.canonical_url IN ({_marks(part)})"
            " ORDER BY s.id",
            list(part),
        ):
            grouper.add_stored(_Story(row[0], row[1], row[3], row[4], False, row[2]))
    if not probes:
        return
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bulk_story_probe"
        " (head TEXT NOT NULL, norm TEXT NOT NULL, low TEXT NOT NULL, high TEXT NOT NULL)"
    )
    conn.execute("DELETE FROM temp.bulk_story_probe")
    conn.executemany("INSERT INTO temp.bulk_story_probe VALUES (?, ?, ?, ?)", probes)
    for row in conn.execute(
        f"SELECT DISTINCT {columns} FROM temp.bulk_story_probe p CROSS JOIN stories s"
        " WHERE s.title_head = p.head AND s.first_published BETWEEN p.low AND p.high"
        " AND s.title_norm = p.norm ORDER BY s.id"
    ):
        grouper.add_stored(_Story(row[0], row[1], row[3], row[4], False, row[2]))
    conn.execute("DELETE FROM temp.bulk_story_probe")


def _stage_items(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> int:
    """Insert item rows with one statement (see _COPY_STAGED); return how many were new."""
    conn.execute(_CREATE_STAGE)
    conn.execute("DELETE FROM temp.bulk_items_stage")
    conn.executemany(_STAGE_ITEM, rows)
    inserted = conn.execute(_COPY_STAGED).rowcount
    conn.execute("DELETE FROM temp.bulk_items_stage")
    return inserted


def _insert_chunk(conn: sqlite3.Connection, feed_id: str, items: list[Item], fetched: str) -> int:
    fresh = _fresh_items(conn, feed_id, items)
    if not fresh:
        return 0
    iso_cache: dict[datetime, tuple[str, str, str]] = {}
    prepared: list[tuple[Item, str, str, str, str]] = []
    for item in fresh:
        stamps = iso_cache.get(item.published)
        if stamps is None:
            stamps = (
                to_iso(item.published),
                to_iso(item.published - STORY_WINDOW),
                to_iso(item.published + STORY_WINDOW),
            )
            iso_cache[item.published] = stamps
        prepared.append((item, normalise_title(item.title), *stamps))
    urls = sorted({item.canonical_url for item, *_ in prepared if item.canonical_url})
    probes = {
        (title_keys(norm)[0], norm, low, high)
        for _, norm, _, low, high in prepared
        if len(norm) >= MIN_TITLE_CHARS
    }
    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])
    grouper = _Grouper(next_id)
    _load_candidates(conn, grouper, urls, sorted(probes))

    item_rows = []
    for item, norm, published, low, high in prepared:
        story = grouper.assign(item.canonical_url, norm, published, low, high)
        item_rows.append(
            (feed_id, item.key, item.guid, item.link, item.canonical_url, item.title,
             item.summary_html, item.summary_text, published, int(item.date_missing), fetched,
             item.lang, story.id)
        )  # fmt: skip
    new_stories = []
    touched = []
    for story in grouper.stories.values():
        if story.is_new:
            head, tail = title_keys(story.norm)
            new_stories.append(
                (story.id, story.url, story.norm, head, tail, story.first, story.last, story.added)
            )
        elif story.added:
            touched.append((story.added, story.first, story.last, story.new_url, story.id))
    conn.executemany(_INSERT_STORY, new_stories)
    inserted = _stage_items(conn, item_rows)
    if inserted != len(item_rows):
        # Cannot happen under the write lock; refuse rather than leave story counts wrong.
        raise StoreError(f"store: {feed_id}: items changed during a bulk insert, retry")
    conn.executemany(_UPDATE_STORY, touched)
    return len(item_rows)
