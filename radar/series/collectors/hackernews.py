"""Hacker News stories per month that match a technology's name (the Algolia HN Search API).

``GET {base}/search_by_date?query=Q&tags=story&numericFilters=created_at_i>=A,created_at_i<B
&hitsPerPage=1`` answers a page of hits plus ``nbHits``, the number of matching stories; only
``nbHits`` is read, so no result page is ever walked. The same request without a query gives
every story of the month, the total the share is taken of (asked once a month per run). The
API is free, without key, limited to about 10,000 requests an hour per address: one request
per term and month, paced at two a second.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from radar.errors import ParseError
from radar.series.collectors.base import Context, MonthlyCounts, epoch, news_terms, next_month
from radar.series.collectors.http import PoliteClient
from radar.taxonomy.model import Tech


def parse_hits(payload: Any) -> int:
    """``nbHits`` of one answer; ParseError when it is missing or not a count."""
    hits = payload.get("nbHits") if isinstance(payload, dict) else None
    if type(hits) is not int or hits < 0:
        raise ParseError("parse: Hacker News answer has no nbHits count")
    return hits


class HackerNews(MonthlyCounts):
    name = "hackernews"
    sources = ("hn_stories",)
    first_month = date(2007, 2, 1)
    min_interval = 0.5
    url_setting = "hn_url"

    def terms(self, tech: Tech, source: str) -> tuple[str, ...]:
        return news_terms(tech)

    async def _count(self, api: PoliteClient, ctx: Context, query: str, month: date) -> int:
        since, until = epoch(month), epoch(next_month(month))
        params = {
            "query": query, "tags": "story", "hitsPerPage": "1",
            "numericFilters": f"created_at_i>={since},created_at_i<{until}",
        }  # fmt: skip
        response = await self._get(api, ctx, "/search_by_date", params=params)
        if response.status != 200:
            raise self._refused(response)
        return parse_hits(response.json())
