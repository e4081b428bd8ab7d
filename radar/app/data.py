"""Every Streamlit cache over the store: pages call these, never SQL.

Reads are cached briefly (ttl) because the scheduler writes in the background, and cleared
at once after the app itself writes (:func:`clear`). The read connection is a cached
resource per database path; writes open their own short-lived connection (:func:`writer`)
so one session's transaction never mixes with another session's reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import streamlit as st

from radar.classify.review import explain_item, staff_queue
from radar.classify.versions import list_versions
from radar.config import Settings, load_settings
from radar.digest.compose import compose
from radar.digest.gather import gather
from radar.series.for_tech import SourceSeries, series_for_tech
from radar.staying.editions import week_end
from radar.staying.signals import build_series, features_at
from radar.staying.track_record import TrackRecord
from radar.staying.track_record import track_record as staying_track_record
from radar.store.db import open_db
from radar.store.editions import edition_weeks, evidence_items, load_edition, overrides_at
from radar.store.editions import ring_history as store_ring_history
from radar.store.feeds import feed_health
from radar.store.items import ItemQuery, count_items, count_matching, excerpts, query_items
from radar.store.labels import get_tag
from radar.store.labels import tech_verdict as latest_verdict
from radar.store.mentions import techs_by_item
from radar.store.weekly import load_weekly, parse_week_label, week_monday
from radar.taxonomy.layers import taxonomy_for
from radar.taxonomy.model import Taxonomy
from radar.timefmt import to_iso

READ_TTL_SECONDS = 30
SLOW_TTL_SECONDS = 600
"""Editions and weekly series change only when editions are built; writes clear them."""
WEEKS26 = 26


@st.cache_resource
def settings() -> Settings:
    """The same settings as the CLI (RADAR_DB, RADAR_CONFIG, RADAR_* variables)."""
    return load_settings()


@st.cache_resource
def _db(path: str) -> Any:
    return open_db(path)


def db() -> Any:
    """The shared read connection."""
    return _db(str(settings().db_path))


@contextmanager
def writer() -> Iterator[Any]:
    """A connection of its own for one write; caches are cleared when it closes."""
    database = open_db(settings().db_path, migrate_schema=False)
    try:
        yield database
    finally:
        database.close()
        clear()


def clear() -> None:
    """Forget every cached read (after the app or a background job wrote)."""
    st.cache_data.clear()


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def taxonomy() -> Taxonomy:
    """The technology taxonomy named in the settings."""
    return taxonomy_for(settings())


# --- items and feeds -------------------------------------------------------------------------


@st.cache_data(ttl=READ_TTL_SECONDS)
def items(query: ItemQuery) -> list[dict[str, Any]]:
    """Items matching a query, each with the ids of the technologies it mentions."""
    rows = query_items(db(), query)
    techs = techs_by_item(db(), [row["id"] for row in rows])
    for row in rows:
        row["techs"] = techs.get(row["id"], [])
    return rows


@st.cache_data(ttl=READ_TTL_SECONDS)
def matching_count(query: ItemQuery) -> int:
    """How many items match a query's filters, whatever its page."""
    return count_matching(db(), query)


@st.cache_data(ttl=READ_TTL_SECONDS)
def item_excerpts(search: str, ids: tuple[int, ...]) -> dict[int, str]:
    """The summary around the searched words for each listed item (matches in 【】)."""
    return excerpts(db(), search, ids)


@st.cache_data(ttl=READ_TTL_SECONDS)
def item_count() -> int:
    return count_items(db())


@st.cache_data(ttl=READ_TTL_SECONDS)
def feeds() -> list[dict[str, Any]]:
    return feed_health(db())


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def items_by_id(ids: tuple[int, ...]) -> list[dict[str, Any]]:
    """Evidence items by id, in the order given."""
    found = {row["id"]: row for row in query_items(db(), ItemQuery(ids=ids))}
    return [found[i] for i in ids if i in found]


# --- editions --------------------------------------------------------------------------------


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def tech_evidence(tech_id: str, week: str, limit: int) -> list[int]:
    """Every item behind a placement (the 26 weeks up to ``week``), as the edition ranks them.

    The edition keeps only its five strongest; the page lists the rest on request, in the
    same order, so "5 of 47" can become all 47.
    """
    until = parse_week_label(week)
    since, end = to_iso(week_end(until - WEEKS26)), to_iso(week_end(until))
    return evidence_items(db(), tech_id, since, end, limit=limit)


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def weeks() -> list[str]:
    """Every edition's week label, newest first."""
    return edition_weeks(db())


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def edition(week: str) -> list[dict[str, Any]]:
    """One stored edition (Adopt first, then by score)."""
    return load_edition(db(), week)


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def ring_history(tech_id: str) -> list[dict[str, Any]]:
    """The technology's ring and score in every edition that placed it, oldest first."""
    return store_ring_history(db(), tech_id)


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def decision(tech_id: str, week: str) -> dict[str, Any] | None:
    """The staff decision in force for a technology at a week (who, when, why), if any."""
    return overrides_at(db(), week).get(tech_id)


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def _series() -> dict[str, Any]:
    return build_series(load_weekly(db()))


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def tech_weekly(tech_id: str, until_week: str, span: int = 104) -> list[tuple[date, int, int]]:
    """(Monday, mentions, distinct sources) per week for ``span`` weeks up to a week."""
    last = parse_week_label(until_week)
    series = _series().get(tech_id)
    rows = []
    for week in range(last - span + 1, last + 1):
        counts = series.counts.get(week, 0) if series else 0
        sources = len(series.sources.get(week, ())) if series else 0
        rows.append((week_monday(week), counts, sources))
    return rows


@st.cache_data(ttl=READ_TTL_SECONDS)
def tech_series(tech_id: str) -> list[SourceSeries]:
    """The technology's adoption and attention series by source (an import shows within 30 s)."""
    return series_for_tech(db(), taxonomy(), tech_id)


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def tech_signals(week: str) -> dict[str, dict[str, Any]]:
    """Per technology at a week: mean municipal relevance of its items and their languages.

    Both cover the 26 weeks the placement used. Relevance is the staying model's own
    ``relevance26`` signal (mean item relevance; unscored items count as 0); languages are
    those of the items mentioning it. One cached pass over the weekly aggregates serves every
    filter, so filtering costs nothing per click.
    """
    number = parse_week_label(week)
    found: dict[str, dict[str, Any]] = {}
    for tech_id, series in _series().items():
        langs: set[str] = set()
        for w in range(number - WEEKS26 + 1, number + 1):
            langs |= series.langs.get(w, set())
        found[tech_id] = {
            "relevance": features_at(series, number)["relevance26"],
            "langs": sorted(langs),
        }
    return found


# --- tagging and models ----------------------------------------------------------------------


@st.cache_data(ttl=READ_TTL_SECONDS)
def queue(seed: int) -> list[dict[str, Any]]:
    """This week's tagging queue (about 15 recent untagged items)."""
    return staff_queue(db(), taxonomy(), seed)


def tag(item_id: int) -> dict[str, Any] | None:
    """An item's current tag (not cached: it changes with every click)."""
    return get_tag(db(), item_id)


def tech_verdict(tech_id: str) -> dict[str, Any] | None:
    """The latest staff fad/standard verdict on a technology (not cached: one click away)."""
    return latest_verdict(db(), tech_id)


@st.cache_data(ttl=READ_TTL_SECONDS)
def explanation(item_id: int) -> dict[str, Any]:
    """The aliases and terms behind an item's quadrant and relevance."""
    return explain_item(db(), taxonomy(), settings().models_dir, item_id)


@st.cache_data(ttl=READ_TTL_SECONDS)
def model_versions() -> list[dict[str, Any]]:
    """Every model version, newest first, with metrics and whether it is current."""
    return list_versions(settings().models_dir)


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def track_record() -> TrackRecord:
    """The radar's published scores against what happened a year later, and its ring mix."""
    return staying_track_record(db(), taxonomy())


# --- digest ----------------------------------------------------------------------------------


@st.cache_data(ttl=SLOW_TTL_SECONDS)
def digest(week: str, lang: str) -> dict[str, str]:
    """The weekly email digest of an edition as it would be sent: subject, text, html."""
    conf = settings()
    composed = compose(gather(db(), taxonomy(), week, conf.base_url, conf.models_dir), lang)
    return {"subject": composed.subject, "text": composed.text, "html": composed.html}
