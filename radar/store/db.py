"""Open the SQLite store (WAL, busy timeout) and apply named migrations.

The app reads while the scheduler writes, so every connection uses WAL and waits on locks
instead of failing. Each migration runs once, in one transaction with its record, so a
killed process never leaves half a schema.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from radar.errors import StoreError
from radar.urls import web_url

BUSY_TIMEOUT_MS = 30_000

Migration = Callable[[sqlite_utils.Database], None]


def _m001_ingest(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE feeds (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            config_url TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'config',
            site_url TEXT,
            title TEXT,
            lang TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            interval_minutes INTEGER NOT NULL DEFAULT 60,
            effective_interval INTEGER NOT NULL DEFAULT 60,
            enabled INTEGER NOT NULL DEFAULT 1,
            disabled_reason TEXT,
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            last_attempt_at TEXT,
            last_success_at TEXT,
            last_status INTEGER,
            last_error TEXT,
            last_warning TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            next_due_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            canonical_url TEXT,
            title_norm TEXT NOT NULL,
            title_head TEXT NOT NULL,
            title_tail TEXT NOT NULL,
            first_published TEXT NOT NULL,
            last_published TEXT NOT NULL,
            n_items INTEGER NOT NULL DEFAULT 0,
            n_sources INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX stories_head ON stories(title_head, first_published);
        CREATE INDEX stories_tail ON stories(title_tail, first_published);
        CREATE INDEX stories_url ON stories(canonical_url);
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            feed_id TEXT NOT NULL REFERENCES feeds(id),
            key TEXT NOT NULL,
            guid TEXT,
            link TEXT NOT NULL,
            canonical_url TEXT NOT NULL,
            title TEXT NOT NULL,
            summary_html TEXT NOT NULL DEFAULT '',
            summary_text TEXT NOT NULL DEFAULT '',
            published_at TEXT NOT NULL,
            date_missing INTEGER NOT NULL DEFAULT 0,
            fetched_at TEXT NOT NULL,
            lang TEXT NOT NULL,
            story_id INTEGER REFERENCES stories(id),
            UNIQUE (feed_id, key)
        );
        CREATE INDEX items_published ON items(published_at);
        CREATE INDEX items_story ON items(story_id);
        CREATE INDEX items_canonical ON items(canonical_url);
        CREATE TABLE fetch_log (
            id INTEGER PRIMARY KEY,
            feed_id TEXT NOT NULL,
            started_at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            status INTEGER,
            duration_ms INTEGER NOT NULL,
            bytes INTEGER NOT NULL DEFAULT 0,
            new_items INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        CREATE INDEX fetch_log_feed ON fetch_log(feed_id, started_at);
        CREATE VIRTUAL TABLE items_fts USING fts5(
            title, summary_text, content='items', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
            INSERT INTO items_fts(rowid, title, summary_text)
            VALUES (new.id, new.title, new.summary_text);
        END;
        CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, title, summary_text)
            VALUES ('delete', old.id, old.title, old.summary_text);
        END;
        CREATE TRIGGER items_au AFTER UPDATE OF title, summary_text ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, title, summary_text)
            VALUES ('delete', old.id, old.title, old.summary_text);
            INSERT INTO items_fts(rowid, title, summary_text)
            VALUES (new.id, new.title, new.summary_text);
        END;
        """
    )


def _m002_classify(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        ALTER TABLE items ADD COLUMN link_key TEXT;
        CREATE INDEX items_link_key ON items(link_key);
        CREATE TABLE mentions (
            item_id INTEGER NOT NULL REFERENCES items(id),
            tech_id TEXT NOT NULL,
            PRIMARY KEY (item_id, tech_id)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_tech ON mentions(tech_id, item_id);
        CREATE TABLE tags (
            item_id INTEGER PRIMARY KEY REFERENCES items(id),
            quadrant TEXT,
            staying TEXT,
            relevant INTEGER,
            tagged_by TEXT NOT NULL,
            tagged_at TEXT NOT NULL
        );
        CREATE TABLE scores (
            item_id INTEGER PRIMARY KEY REFERENCES items(id),
            model TEXT NOT NULL,
            quadrant TEXT,
            quadrant_confidence REAL,
            relevance REAL,
            scored_at TEXT NOT NULL
        );
        CREATE INDEX scores_model ON scores(model);
        """
    )


def _m003_radar(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        ALTER TABLE items ADD COLUMN tone INTEGER NOT NULL DEFAULT 0;
        UPDATE items SET link_key = NULL;
        CREATE INDEX mentions_item ON mentions(item_id);
        CREATE TABLE editions (
            week TEXT NOT NULL,
            tech_id TEXT NOT NULL,
            quadrant TEXT NOT NULL,
            ring TEXT NOT NULL,
            score REAL NOT NULL,
            movement TEXT NOT NULL,
            human INTEGER NOT NULL DEFAULT 0,
            reasons TEXT NOT NULL DEFAULT '[]',
            evidence TEXT NOT NULL DEFAULT '{}',
            built_at TEXT NOT NULL,
            PRIMARY KEY (week, tech_id)
        ) WITHOUT ROWID;
        CREATE TABLE overrides (
            id INTEGER PRIMARY KEY,
            tech_id TEXT NOT NULL,
            ring TEXT NOT NULL,
            comment TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            week TEXT NOT NULL
        );
        CREATE INDEX overrides_tech ON overrides(tech_id, week);
        CREATE TABLE tech_labels (
            tech_id TEXT NOT NULL,
            label INTEGER NOT NULL,
            source TEXT NOT NULL,
            as_of TEXT NOT NULL,
            PRIMARY KEY (tech_id, source, as_of)
        ) WITHOUT ROWID;
        """
    )


def _m004_digest(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE digest_sends (
            week TEXT NOT NULL,
            recipient TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (week, recipient)
        ) WITHOUT ROWID;
        """
    )


def _m005_text_staying(db: sqlite_utils.Database) -> None:
    # The text classifier's P(standard) per item, a staying-power signal over a tech's items.
    db.executescript("ALTER TABLE scores ADD COLUMN staying REAL;")


def _m006_model_quadrant(db: sqlite_utils.Database) -> None:
    # The model's own quadrant beside the stored (rules-first) one: the review queue asks
    # staff about items where the two disagree.
    db.executescript("ALTER TABLE scores ADD COLUMN model_quadrant TEXT;")


def _m007_embeddings(db: sqlite_utils.Database) -> None:
    # Title embeddings, so retraining and re-scoring never embed an item twice (titles never
    # change once stored). ``encoder`` names the model that made the vector.
    db.executescript(
        """
        CREATE TABLE embeddings (
            item_id INTEGER PRIMARY KEY REFERENCES items(id),
            encoder TEXT NOT NULL,
            vector BLOB NOT NULL
        );
        """
    )


def _m008_reason_codes(db: sqlite_utils.Database) -> None:
    # Reasons became codes written out per reader; older rows keep their two texts as "legacy".
    for week, tech, old in db.execute("SELECT week, tech_id, reasons FROM editions").fetchall():
        coded = [r if "params" in r else {"code": "legacy", "points": r.get("points", 0),
                                          "params": {"ja": r["ja"], "en": r["en"]}}
                 for r in json.loads(old)]  # fmt: skip
        db.execute("UPDATE editions SET reasons = ? WHERE week = ? AND tech_id = ?",
                   [json.dumps(coded, ensure_ascii=False), week, tech])  # fmt: skip


def _m009_story_titles(db: sqlite_utils.Database) -> None:
    # Exact-headline story lookups: the head index alone read every story sharing an opening.
    db.execute("CREATE INDEX stories_norm ON stories(title_norm, first_published)")


def _m010_web_links_only(db: sqlite_utils.Database) -> None:
    # Releases before this one stored any link a feed sent (javascript:, data:, vbscript:),
    # which the digest then mailed as clickable hrefs. Only what ``web_url`` accepts (the
    # rule parsing now applies) stays a link; the items themselves are kept, without one.
    conn = db.conn
    conn.create_function("is_web_url", 1, lambda url: bool(web_url(url)), deterministic=True)
    for statement in (
        "UPDATE items SET link = '' WHERE link != '' AND NOT is_web_url(link)",
        "UPDATE items SET canonical_url = ''"
        " WHERE canonical_url != '' AND NOT is_web_url(canonical_url)",
        "UPDATE stories SET canonical_url = NULL"
        " WHERE canonical_url IS NOT NULL AND NOT is_web_url(canonical_url)",
        "UPDATE feeds SET site_url = NULL WHERE site_url IS NOT NULL AND NOT is_web_url(site_url)",
    ):
        conn.execute(statement)  # not executescript: that would commit mid-migration


def _m011_series(db: sqlite_utils.Database) -> None:
    # Adoption and attention series (jobs, questions, downloads, pageviews...) per term and
    # period, imported from files or collected from public APIs. ``period_end`` (the last day
    # the period covers, ISO) is what a back-test at a date filters on: no period that ends
    # after the date. ``count`` and ``total`` are empty where a source gives only a share.
    db.executescript(
        """
        CREATE TABLE series (
            source TEXT NOT NULL,
            term TEXT NOT NULL,
            period TEXT NOT NULL,
            period_end TEXT NOT NULL,
            count REAL,
            total REAL,
            share REAL,
            PRIMARY KEY (source, term, period)
        ) WITHOUT ROWID;
        CREATE INDEX series_term ON series(term, source, period_end);
        """
    )


def _m014_series_health(db: sqlite_utils.Database) -> None:
    # How each collected series source fared (as feeds have their health): the last attempt
    # and success, the error that stopped it, the last term that failed, and ``resume_at``
    # when an API's quota is spent or it asked to wait; ``quota_day``/``quota_used`` count the
    # requests of a day where the API's answers do not say how many are left.
    db.executescript(
        """
        CREATE TABLE series_health (
            source TEXT PRIMARY KEY,
            last_attempt_at TEXT,
            last_success_at TEXT,
            last_error TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            resume_at TEXT,
            quota_day TEXT,
            quota_used INTEGER NOT NULL DEFAULT 0,
            terms INTEGER NOT NULL DEFAULT 0,
            points INTEGER NOT NULL DEFAULT 0,
            term_errors INTEGER NOT NULL DEFAULT 0,
            last_term_error TEXT
        );
        """
    )


MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("001_ingest", _m001_ingest),
    ("002_classify", _m002_classify),
    ("003_radar", _m003_radar),
    ("004_digest", _m004_digest),
    ("005_text_staying", _m005_text_staying),
    ("006_model_quadrant", _m006_model_quadrant),
    ("007_embeddings", _m007_embeddings),
    ("008_reason_codes", _m008_reason_codes),
    ("009_story_titles", _m009_story_titles),
    ("010_web_links_only", _m010_web_links_only),
    ("011_series", _m011_series),
    # 012 and 013 are other branches' migrations; the lead merges them in before this one
    ("014_series_health", _m014_series_health),
)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations in order; return the names applied now."""
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            conn.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, datetime('now'))", [name]
            )
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def open_db(path: Path | str, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the store, in WAL mode with a busy timeout."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        db = sqlite_utils.Database(conn)
        if migrate_schema:
            migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: cannot open {path}: {exc}") from exc
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """Run a block as one write transaction: all of it is committed, or none of it."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
