"""Batched insertion for history archives: hundreds of thousands of items in minutes.

``radar.store.items.insert_items`` does one INSERT, two to four lookups and an UPDATE per
item, which suits a feed of 50 entries but not a back-fill of a million headlines. Here a
batch is filtered against the stored keys with one query, grouped into stories in memory
(after one query for candidate stories by URL and one by title), and written with two
statements, the new stories and then the items (already carrying their story id, so there is
no second pass over the items), plus an update of the few older stories the batch joined.

Rows travel to and from SQLite as one JSON array per statement (``json_each`` in,
``json_group_array`` out) rather than through ``executemany`` or row-by-row fetching, for
two measured reasons: (1) FTS5 flushes its pending index data at every statement's
savepoint, so the ``items_ai`` trigger run under ``executemany`` wrote a tiny index segment
per item and then merged them (one INSERT ... SELECT per batch made the import about three
times faster); (2) every SQLite step releases the GIL, and with the archive reader parsing
in another thread, thousands of tiny steps per batch each waited for the GIL to come back.

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
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

import sqlite_utils

from radar.errors import StoreError
from radar.ingest.dedupe import MIN_TITLE_CHARS, STORY_WINDOW, normalise_title, title_keys
from radar.records import Item
from radar.slug import slugify
from radar.store.db import transaction
from radar.store.feeds import ARCHIVE_ORIGIN
from radar.timefmt import to_iso

BATCH = 5000
_T = TypeVar("_T")
BULK_CACHE_MB = 128
BULK_WAL_PAGES = 16_384  # 64 MB of 4 KB pages between automatic checkpoints
ARCHIVE_DISABLED_REASON = "archive source (imported, not polled)"

_ITEM_COLUMNS = (
    "feed_id", "key", "guid", "link", "canonical_url", "title", "summary_html", "summary_text",
    "published_at", "date_missing", "lang", "story_id",
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
    f"INSERT OR IGNORE INTO items (fetched_at, {', '.join(_ITEM_COLUMNS)})"
    f" SELECT ?, {_from_json(len(_ITEM_COLUMNS))} FROM json_each(?)"
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
# CROSS JOIN keeps the batch (json_each) as the outer loop: otherwise the planner may scan
# all of a feed's items once per batch row.
# One probe per item: [title_head, title_norm, window start, window end]. The join uses the
# (title_head, first_published) index, so it reads only stories with the same head inside
# the window; filtering on heads alone read every story sharing a common opening.
_STORIES_BY_TITLE = (
    f"SELECT {_STORY_JSON} FROM json_each(?) p CROSS JOIN stories s"
    " ON s.title_head = json_extract(p.value, '$[0]')"
    " AND s.first_published BETWEEN json_extract(p.value, '$[2]')"
    " AND json_extract(p.value, '$[3]')"
    " AND s.title_norm = json_extract(p.value, '$[1]')"
)
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


def insert_items_bulk(
    db: sqlite_utils.Database, feed_id: str, items: Iterable[Item], fetched_at: datetime
) -> int:
    """Insert the items not yet stored for this feed, grouped into stories; return how many.

    Idempotent like ``insert_items``: an item whose key this feed already holds (or that
    repeats an earlier key in ``items``; the first wins) is skipped. Items are written in
    batches of ``BATCH``, each batch in one transaction unless the caller already holds one,
    so an interrupted import keeps whole batches and re-running finishes the rest.
    """
    return insert_feeds_bulk(db, {feed_id: items}, fetched_at)[feed_id]


def insert_feeds_bulk(
    db: sqlite_utils.Database, items_by_feed: Mapping[str, Iterable[Item]], fetched_at: datetime
) -> dict[str, int]:
    """``insert_items_bulk`` for several feeds at once; return how many each feed gained.

    The result is the same as inserting feed after feed in the mapping's order, but a batch
    of ``BATCH`` items spanning several feeds costs one set of statements instead of one per
    feed. An archive chunk mixes a dozen sources, and per feed each statement carried a few
    hundred rows: on a million rows the statement count itself cost about a fifth of the
    import (each statement's FTS5 flush, and the GIL each SQLite call must win back from the
    parse thread).
    """
    fetched = to_iso(fetched_at)
    new = dict.fromkeys(items_by_feed, 0)
    pairs = ((feed_id, item) for feed_id, items in items_by_feed.items() for item in items)
    for chunk in _chunks(pairs, BATCH):
        with transaction(db):
            for feed_id, count in _insert_chunk(db.conn, chunk, fetched).items():
                new[feed_id] += count
    return new


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


@dataclass(slots=True)
class _Story:
    """A story as the batch sees it: its stored state plus what the batch adds."""

    id: int
    url: str | None
    first: str
    last: str
    is_new: bool
    norm: str = ""
    added: int = 0
    feeds: set[str] = field(default_factory=set)  # the batch's feeds (counted for new ones)
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

    def assign(
        self, feed_id: str, url: str, norm: str, published: str, low: str, high: str
    ) -> _Story:
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
        story.feeds.add(feed_id)
        return story


def _fresh_items(conn: sqlite3.Connection, items: list[tuple[str, Item]]) -> list[tuple[str, Item]]:
    """The (feed id, item) pairs whose key that feed does not hold yet (first repeat wins)."""
    by_key: dict[tuple[str, str], Item] = {}
    for feed_id, item in items:
        by_key.setdefault((feed_id, item.key), item)
    for feed_id, key in _json_result(conn, _STORED_KEYS, [_dumps(list(by_key))]):
        by_key.pop((feed_id, key), None)
    return [(feed_id, item) for (feed_id, _), item in by_key.items()]


def _load_candidates(
    conn: sqlite3.Connection,
    grouper: _Grouper,
    urls: list[str],
    probes: list[tuple[str, str, str, str]],
) -> None:
    """Load the stored stories a batch may join: same canonical URL, or same title in window."""
    found: list[list[Any]] = []
    if urls:
        found += _json_result(conn, _STORIES_BY_URL, [_dumps(urls)])
    if probes:
        found += _json_result(conn, _STORIES_BY_TITLE, [_dumps(probes)])
    for story_id, url, norm, first, last in sorted(found):  # lowest id first, as _find_story
        grouper.add_stored(_Story(story_id, url, first, last, False, norm))


def _insert_chunk(
    conn: sqlite3.Connection, items: list[tuple[str, Item]], fetched: str
) -> dict[str, int]:
    """Write one batch of (feed id, item) pairs; return how many items each feed gained."""
    fresh = _fresh_items(conn, items)
    new: dict[str, int] = {}
    if not fresh:
        return new
    iso_cache: dict[datetime, tuple[str, str, str]] = {}
    prepared: list[tuple[str, Item, str, str, str, str]] = []
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
    urls = sorted({item.canonical_url for _, item, *_ in prepared if item.canonical_url})
    probes = {
        (title_keys(norm)[0], norm, low, high)
        for _, _, norm, _, low, high in prepared
        if len(norm) >= MIN_TITLE_CHARS
    }
    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])
    grouper = _Grouper(next_id)
    _load_candidates(conn, grouper, urls, sorted(probes))

    item_rows = []
    for feed_id, item, norm, published, low, high in prepared:
        story = grouper.assign(feed_id, item.canonical_url, norm, published, low, high)
        new[feed_id] = new.get(feed_id, 0) + 1
        item_rows.append(
            (feed_id, item.key, item.guid, item.link, item.canonical_url, item.title,
             item.summary_html, item.summary_text, published, int(item.date_missing), item.lang,
             story.id)
        )  # fmt: skip
    new_stories = []
    touched = []
    for story in grouper.stories.values():
        if story.is_new:
            head, tail = title_keys(story.norm)
            new_stories.append(
                (story.id, story.url, story.norm, head, tail, story.first, story.last,
                 story.added, len(story.feeds))
            )  # fmt: skip
        elif story.added:
            touched.append((story.id, story.added, story.first, story.last, story.new_url))
    if new_stories:
        conn.execute(_INSERT_STORIES, [_dumps(new_stories)])
    inserted = conn.execute(_INSERT_ITEMS, [fetched, _dumps(item_rows)]).rowcount
    if inserted != len(item_rows):
        # Cannot happen under the write lock; refuse rather than leave story counts wrong.
        raise StoreError(f"store: {', '.join(new)}: items changed during a bulk insert, retry")
    if touched:
        conn.execute(_UPDATE_STORIES, [_dumps(touched)])
    return new
