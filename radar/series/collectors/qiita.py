"""Qiita articles per month per tag: what Japanese developers write about (Qiita API v2).

``GET {base}/items?page=1&per_page=1&query=tag:TAG created:>=YYYY-MM-01 created:<=YYYY-MM-DD``
answers a page of items and the ``Total-Count`` header, the number of matching articles; only
the header is read, so no page is walked. The same without ``tag:`` gives the month's total.
Every answer carries ``Rate-Remaining`` and ``Rate-Reset`` (when the hour's quota refills, in
seconds since 1970): 60 requests an hour per address without a token, 1,000 with the
``series.qiita_token`` setting. When none remain, or Qiita refuses with
``rate_limit_exceeded``, the source stops and resumes at ``Rate-Reset``. Errors come as
``{"message", "type"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from radar.errors import ParseError
from radar.series.collectors.base import Context, MonthlyCounts, QuotaSpent, TermError, last_day
from radar.series.collectors.http import ApiResponse, PoliteClient
from radar.taxonomy.model import Tech

_MAX_RESET_AHEAD = timedelta(hours=2)  # a Rate-Reset further away than this is not believed


def reset_time(headers: Mapping[str, str], now: datetime) -> datetime:
    """When the quota refills: ``Rate-Reset`` if it is a near future time, else in an hour."""
    text = headers.get("rate-reset", "").strip()
    if text.isdigit() and len(text) <= 12:
        when = datetime.fromtimestamp(int(text), UTC)
        if now <= when <= now + _MAX_RESET_AHEAD:
            return when
    return now + timedelta(hours=1)


def total_count(response: ApiResponse) -> int:
    text = response.headers.get("total-count", "").strip()
    if not text.isdigit() or len(text) > 12:
        raise ParseError(f"parse: Qiita answer has no Total-Count header ({text[:20]!r})")
    return int(text)


def error_of(response: ApiResponse, now: datetime) -> TermError | QuotaSpent:
    payload = response.json_object()
    kind = str(payload.get("type", ""))[:60]
    message = str(payload.get("message", "") or response.text())[:200]
    if kind == "rate_limit_exceeded" or response.status == 429:
        resume = reset_time(response.headers, now)
        return QuotaSpent(f"qiita: rate limit reached ({message})", resume)
    return TermError(f"qiita: HTTP {response.status} {kind or 'error'}: {message}", response.status)


class Qiita(MonthlyCounts):
    name = "qiita"
    sources = ("qiita_items",)
    first_month = date(2011, 9, 1)
    min_interval = 1.0
    url_setting = "qiita_url"

    def terms(self, tech: Tech, source: str) -> tuple[str, ...]:
        return tech.series_terms("qiita")

    async def _count(self, api: PoliteClient, ctx: Context, tag: str, month: date) -> int:
        query = f"created:>={month.isoformat()} created:<={last_day(month).isoformat()}"
        if tag:
            query = f"tag:{tag} {query}"
        headers = (
            {"Authorization": f"Bearer {ctx.settings.qiita_token}"}
            if ctx.settings.qiita_token
            else {}
        )
        params = {"page": "1", "per_page": "1", "query": query}
        response = await self._get(api, ctx, "/items", params=params, headers=headers)
        if response.status != 200:
            raise error_of(response, ctx.now)
        count = total_count(response)
        if response.headers.get("rate-remaining", "").strip() == "0":
            ctx.spent_until = reset_time(response.headers, ctx.now)
        return count

    def _before_request(self, ctx: Context) -> None:
        resume = ctx.spent_until
        if resume is not None and resume > ctx.now:
            raise QuotaSpent(
                f"qiita: the hour's requests are used; resumes {resume:%H:%M} UTC", resume
            )
