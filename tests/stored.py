"""Put a few items straight into a store, for tests about reading them (search, windows, pages)."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from radar.records import Item
from radar.store.items import insert_items
from tests.conftest import FIXED_NOW


def store_items(
    db: sqlite_utils.Database, feed: str, rows: list[tuple[datetime, str, str]]
) -> None:
    """Add feed ``feed`` (https://FEED.example) holding items of (published, title, summary)."""
    url = f"https://{feed}.example/feed"
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at) VALUES (?, ?, ?, ?, ?)",
        [feed, feed.title(), url, url, "2020-01-01T00:00:00Z"],
    )
    items = [
        Item(
            key=f"l:https://{feed}.example/{i}", guid=None, link=f"https://{feed}.example/{i}",
            canonical_url=f"https://{feed}.example/{i}", title=title, summary_html="",
            summary_text=summary, published=when, date_missing=False, lang="en",
        )
        for i, (when, title, summary) in enumerate(rows)
    ]  # fmt: skip
    insert_items(db, feed, items, FIXED_NOW)
    db.conn.commit()
