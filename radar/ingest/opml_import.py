"""Import an OPML subscription list under the same address rule as `radar feeds add`."""

from __future__ import annotations

import asyncio
from datetime import datetime

import sqlite_utils

from radar.config import Settings
from radar.errors import BlockedAddressError, FetchError
from radar.ingest.fetch import ensure_public
from radar.ingest.sources import parse_opml
from radar.store.feeds import sync_feeds


async def _refusals(urls: list[str]) -> dict[str, str]:
    refused: dict[str, str] = {}
    for url in urls:
        try:
            await ensure_public(url)
        except BlockedAddressError as exc:
            refused[url] = str(exc)
        except FetchError:
            continue  # unresolvable today (offline?): accepted, and shown in feed health

    return refused


def import_opml(
    db: sqlite_utils.Database,
    data: bytes,
    settings: Settings,
    now: datetime,
    *,
    allow_private: bool = False,
) -> tuple[int, list[tuple[str, str]]]:
    """Add the OPML's feeds; return (number added, [(url, reason refused)]).

    Every fetch re-checks each redirect hop, so a feed that later redirects to a private
    address is still blocked then.
    """
    specs = parse_opml(data, settings.default_interval)
    refused = {} if allow_private else asyncio.run(_refusals([s.url for s in specs]))
    accepted = [s for s in specs if s.url not in refused]
    added = sync_feeds(db, accepted, "opml", now)
    return added, sorted(refused.items())
