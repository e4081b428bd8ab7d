"""Every write the app makes: one library call each; ``data.writer`` clears the caches.

Pages check sign-in before calling these; ``by`` is always the signed-in user. Library
errors (RadarError) pass through for the page to show in plain words.
"""

from __future__ import annotations

from typing import Any

from radar.app import data
from radar.ingest.subscribe import subscribe
from radar.records import FeedSpec
from radar.store.editions import add_override
from radar.store.feeds import set_enabled
from radar.store.labels import get_tag, remove_tag, set_tag, set_tech_verdict
from radar.timefmt import from_iso, utcnow


def tag_item(item_id: int, by: str, **fields: Any) -> dict[str, Any] | None:
    """Set some fields of an item's tag; return the tag it had before (for undo)."""
    quadrants = tuple(q.id for q in data.taxonomy().quadrants)
    with data.writer() as db:
        before = get_tag(db, item_id)
        set_tag(db, item_id, by=by, now=utcnow(), quadrants=quadrants, **fields)
    return before


def restore_tag(item_id: int, before: dict[str, Any] | None) -> None:
    """Undo: put back the tag an item had before (or none)."""
    with data.writer() as db:
        remove_tag(db, item_id)  # set_tag keeps fields it is not given, so start clean
        if before is None:
            return
        relevant = before["relevant"]
        set_tag(
            db, item_id, by=before["tagged_by"], now=from_iso(before["tagged_at"]),
            quadrant=before["quadrant"], staying=before["staying"],
            relevant=None if relevant is None else bool(relevant),
        )  # fmt: skip


def override_ring(tech_id: str, ring: str, comment: str, by: str, week: str) -> None:
    """Record a staff decision for ``week`` on; the editions are rebuilt in the background."""
    with data.writer() as db:
        add_override(db, tech_id, ring, comment, by, week, utcnow())


def tech_verdict(tech_id: str, verdict: str, by: str) -> None:
    """Record a staff fad/standard verdict on a technology."""
    with data.writer() as db:
        set_tech_verdict(db, tech_id, verdict, by, utcnow())


def feed_enabled(feed_id: str, enabled: bool, reason: str | None) -> None:
    """Disable (with a reason) or enable a feed."""
    with data.writer() as db:
        set_enabled(db, feed_id, enabled, reason)


def add_feed(url: str, name: str | None, lang: str | None) -> FeedSpec:
    """Subscribe to a feed (fetched once first; private addresses refused by the settings)."""
    with data.writer() as db:
        return subscribe(db, url, data.settings(), utcnow, name=name, lang=lang, origin="app")
