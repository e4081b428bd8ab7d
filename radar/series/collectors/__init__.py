"""Collectors for public series: one module per API, one polite HTTP client they share.

`COLLECTORS` lists them; `collector_for(source)` finds the one that fills a source id of
`radar.series.sources.SOURCES`. The orchestration (which terms, from which month, health,
quotas) is `radar.series.collect`.
"""

from __future__ import annotations

from radar.series.collectors.base import Collector
from radar.series.collectors.gdelt import Gdelt
from radar.series.collectors.hackernews import HackerNews
from radar.series.collectors.npm import Npm
from radar.series.collectors.qiita import Qiita
from radar.series.collectors.stackexchange import StackExchange
from radar.series.collectors.wikipedia import Wikipedia

__all__ = ["COLLECTORS", "Collector", "collected_sources", "collector_for"]

COLLECTORS: tuple[Collector, ...] = (
    Wikipedia(), HackerNews(), StackExchange(), Npm(), Qiita(), Gdelt(),
)  # fmt: skip


def collector_for(source: str) -> Collector | None:
    """The collector that fills ``source``, or None for a source only files bring."""
    return next((c for c in COLLECTORS if source in c.sources), None)


def collected_sources() -> tuple[str, ...]:
    """Every source id a collector fills, in collector order."""
    return tuple(source for c in COLLECTORS for source in c.sources)
