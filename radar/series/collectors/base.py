"""What every collector shares: months, the two ways a request can fail, quotas, the contract.

A collector turns (source, term, first month, last month) into monthly points by asking one
public API; it never touches the store. Failures come in two kinds the runner treats apart:
`TermError` is about one term (an article that does not exist, a tag the API refuses) and the
run goes on with the next term; anything else from the network stops that source for this run.
`QuotaSpent` stops a source cleanly and says when its quota comes back, so a first back-fill
larger than a day's unauthenticated quota resumes where it stopped.
"""

from __future__ import annotations

import calendar
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from radar.errors import FetchError
from radar.records import SeriesPoint
from radar.series.collectors.http import ApiResponse, PoliteClient
from radar.series.periods import period_end
from radar.settings import SeriesSettings
from radar.taxonomy.model import Tech

Batches = AsyncIterator[list[SeriesPoint]]


class TermError(FetchError):
    """One term could not be collected (unknown article or package, refused query)."""


class QuotaSpent(FetchError):
    """The API's quota for now is used up; ask again at ``resume_at`` (UTC)."""

    def __init__(self, message: str, resume_at: datetime) -> None:
        super().__init__(message)
        self.resume_at = resume_at


def month_text(month: date) -> str:
    """``2016-02`` for any day of February 2016: the period name monthly sources use."""
    return f"{month.year:04d}-{month.month:02d}"


def parse_month(text: str) -> date:
    """The first day of a ``YYYY-MM`` month."""
    year, month = text.split("-")[:2]
    return date(int(year), int(month), 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def last_day(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def months(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` (both included), as first days."""
    found, month = [], first.replace(day=1)
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found


def epoch(day: date) -> int:
    """Seconds since 1970 at 00:00 UTC of ``day``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def monthly_point(source: str, term: str, month: date, count: float,
                  total: float | None = None) -> SeriesPoint:  # fmt: skip
    """One month's value, with its share of the platform's total where there is one."""
    period = month_text(month)
    share = count / total if total else None
    return SeriesPoint(source, term, period, period_end(period), count, total, share)


def next_utc_day(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


@dataclass
class DailyQuota:
    """Requests an API allows a day, counted here because its answers do not say.

    ``day`` and ``used`` are read from and written back to the source's health, so the count
    survives between runs on the same day.
    """

    limit: int
    day: str
    used: int = 0

    def take(self, now: datetime, what: str) -> None:
        """Count one request; QuotaSpent (resuming the next UTC day) when none is left."""
        today = now.date().isoformat()
        if self.day != today:
            self.day, self.used = today, 0
        if self.used >= self.limit:
            resume = next_utc_day(now)
            raise QuotaSpent(
                f"quota: {what} allows {self.limit} requests a day, all used; "
                f"resumes {resume:%Y-%m-%d %H:%M} UTC",
                resume,
            )
        self.used += 1


@dataclass
class Context:
    """What one run gives a collector: settings, the clock, a quota, per-run caches."""

    settings: SeriesSettings
    now: datetime
    quota: DailyQuota | None = None
    totals: dict[tuple[str, str], float | None] = field(default_factory=dict)
    spent_until: datetime | None = None  # an API said its quota is used up until then


class Collector:
    """One public API. Subclasses set the class attributes and implement `collect`."""

    name: str = ""
    sources: tuple[str, ...] = ()
    first_month: date = date(2015, 7, 1)
    min_interval: float = 1.0  # seconds between two requests to the API's host (its rule)
    url_setting: str = ""  # the SeriesSettings field holding the base URL

    def base_url(self, settings: SeriesSettings) -> str:
        return str(getattr(settings, self.url_setting)).rstrip("/")

    async def _get(self, api: PoliteClient, ctx: Context, path: str, **options: Any) -> ApiResponse:
        """GET ``path`` of this API at its pace (``series.min_interval`` overrides it)."""
        interval = ctx.settings.min_interval or self.min_interval
        return await api.get(self.base_url(ctx.settings) + path, interval=interval, **options)

    def _refused(self, response: ApiResponse) -> TermError:
        """An answer other than 200 as this term's error, with the start of its body."""
        return TermError(f"{self.name}: HTTP {response.status}: {response.text()}", response.status)

    def terms(self, tech: Tech, source: str) -> tuple[str, ...]:
        """The terms this technology is asked by at ``source`` (empty: not collected)."""
        raise NotImplementedError

    def daily_quota(self, settings: SeriesSettings) -> int | None:
        """Requests a day to count here, for an API whose answers do not say (else None)."""
        return None

    def collect(
        self, api: PoliteClient, ctx: Context, source: str, term: str, first: date, last: date
    ) -> Batches:
        """Yield the points of ``term`` from month ``first`` to ``last``, a batch at a time.

        Batches come oldest first, so the runner can store each as it arrives and a killed run
        resumes after the newest month stored.
        """
        raise NotImplementedError


class MonthlyCounts(Collector):
    """An API asked one count per term and month, beside the platform's total that month.

    The total is asked once per month for all terms (``ctx.totals``), so a share costs one
    request per term and month. Subclasses implement ``_count`` (``""`` asks the total) and
    may refuse a request before it is made (``_before_request``: a quota known to be spent).
    """

    async def _count(self, api: PoliteClient, ctx: Context, term: str, month: date) -> int:
        raise NotImplementedError

    def _before_request(self, ctx: Context) -> None:
        """Raise (e.g. QuotaSpent) to stop before a request the API would refuse."""

    async def collect(
        self, api: PoliteClient, ctx: Context, source: str, term: str, first: date, last: date
    ) -> Batches:
        for month in months(first, last):
            key = (source, month_text(month))
            if key not in ctx.totals:
                self._before_request(ctx)
                ctx.totals[key] = await self._count(api, ctx, "", month)
            self._before_request(ctx)
            count = await self._count(api, ctx, term, month)
            yield [monthly_point(source, term, month, count, ctx.totals[key])]


def news_terms(tech: Tech) -> tuple[str, ...]:
    """What news and Hacker News are searched for: the ``news`` terms, else the first alias.

    One query per technology keeps a monthly update to one request each. The first Latin
    alias is the name the taxonomy leads with; an alias (not the display name) is used so the
    stored term maps back to its technology. English-language APIs cannot search kana.
    """
    given = tech.series_terms("news")
    if given:
        return given
    latin = [a for a in tech.aliases if a.isascii() and len(a.strip()) >= 2]
    return (latin[0],) if latin else ()
