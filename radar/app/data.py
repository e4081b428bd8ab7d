"""Every Streamlit cache over the store: pages call these, never SQL.

Reads are cached briefly (ttl) because the scheduler writes in the background; the
connection is a cached resource per database path.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from radar.config import Settings, load_settings
from radar.store.db import open_db
from radar.store.feeds import feed_health
from radar.store.items import ItemQuery, count_items, query_items

READ_TTL_SECONDS = 30


@st.cache_resource
def settings() -> Settings:
    """The same settings as the CLI (RADAR_DB, RADAR_CONFIG, RADAR_* variables)."""
    return load_settings()


@st.cache_resource
def _db(path: str) -> Any:
    return open_db(path)


def db() -> Any:
    return _db(str(settings().db_path))


@st.cache_data(ttl=READ_TTL_SECONDS)
def items(query: ItemQuery) -> list[dict[str, Any]]:
    return query_items(db(), query)


@st.cache_data(ttl=READ_TTL_SECONDS)
def item_count() -> int:
    return count_items(db())


@st.cache_data(ttl=READ_TTL_SECONDS)
def feeds() -> list[dict[str, Any]]:
    return feed_health(db())
