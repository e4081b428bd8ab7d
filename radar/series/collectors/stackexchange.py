"""Stack Overflow questions per month per tag (Stack Exchange API 2.3).

``GET {base}/questions?fromdate=A&todate=B&tagged=TAG&site=stackoverflow&filter=total``
answers ``{"total": N}`` (the built-in ``total`` filter returns only the count); the same
without ``tagged`` gives every question of the month, the total the share is taken of. Errors
come as ``{"error_id", "error_name", "error_message"}`` (HTTP 400 and others); any answer may
carry ``backoff``, seconds to leave the method alone, which is honoured before the next
request. Without a key an address may make 300 requests a day (10,000 with the
``series.stackexchange_key`` setting); the answers do not say how many are left under this
filter, so the collector counts them itself and stops at the limit, resuming the next UTC
day where it stopped. ``throttle_violation`` (error 502) stops the source the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from radar.errors import ParseError
from radar.series.collectors.base import (
    Context,
    MonthlyCounts,
    QuotaSpent,
    TermError,
    epoch,
    next_month,
    next_utc_day,
)
from radar.series.collectors.http import ApiResponse, PoliteClient
from radar.settings import SeriesSettings
from radar.taxonomy.model import Tech

DAILY_QUOTA = 300
DAILY_QUOTA_WITH_KEY = 10_000
_AVAILABLE_IN = re.compile(r"available in (\d{1,9}) seconds")


def parse_total(payload: Any) -> tuple[int, float | None]:
    """``total`` and ``backoff`` (seconds, when present) of one answer."""
    if not isinstance(payload, dict):
        raise ParseError("parse: Stack Exchange answer is not an object")
    total, backoff = payload.get("total"), payload.get("backoff")
    if type(total) is not int or total < 0:
        raise ParseError("parse: Stack Exchange answer has no total count")
    wait = float(backoff) if type(backoff) in (int, float) and 0 < backoff < 86_400 else None
    return total, wait


def error_of(response: ApiResponse, now: datetime) -> TermError | QuotaSpent:
    """The documented error body as an exception: throttling stops the source, else the term."""
    payload = response.json_object()
    name = str(payload.get("error_name", ""))[:60]
    message = str(payload.get("error_message", "") or response.text())[:200]
    if name == "throttle_violation" or payload.get("error_id") == 502:
        match = _AVAILABLE_IN.search(message)
        resume = now + timedelta(seconds=int(match[1])) if match else next_utc_day(now)
        return QuotaSpent(f"stackexchange: throttled: {message}", resume)
    return TermError(
        f"stackexchange: HTTP {response.status} {name or 'error'}: {message}", response.status
    )


class StackExchange(MonthlyCounts):
    name = "stackexchange"
    sources = ("stackexchange_questions",)
    first_month = date(2008, 8, 1)
    min_interval = 0.5  # the API bans bursts past 30 a second; the daily quota is what binds
    url_setting = "stackexchange_url"

    def terms(self, tech: Tech, source: str) -> tuple[str, ...]:
        return tech.series_terms("stackoverflow")

    def daily_quota(self, settings: SeriesSettings) -> int | None:
        return DAILY_QUOTA_WITH_KEY if settings.stackexchange_key else DAILY_QUOTA

    async def _count(self, api: PoliteClient, ctx: Context, tag: str, month: date) -> int:
        if ctx.quota is not None:
            ctx.quota.take(ctx.now, "Stack Exchange")
        params = {
            "fromdate": str(epoch(month)), "todate": str(epoch(next_month(month)) - 1),
            "site": "stackoverflow", "filter": "total",
        }  # fmt: skip
        if tag:
            params["tagged"] = tag
        if ctx.settings.stackexchange_key:
            params["key"] = ctx.settings.stackexchange_key
        response = await self._get(api, ctx, "/questions", params=params)
        if response.status != 200:
            raise error_of(response, ctx.now)
        total, backoff = parse_total(response.json())
        if backoff:
            api.hold(self.base_url(ctx.settings), backoff)
        return total
