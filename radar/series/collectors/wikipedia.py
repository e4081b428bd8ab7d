"""Monthly pageviews of one Wikipedia article, in Japanese and in English (Wikimedia REST API).

``GET {base}/metrics/pageviews/per-article/{project}/all-access/user/{article}/monthly/
{YYYYMMDD00}/{YYYYMMDD00}`` answers ``{"items": [{"project", "article", "granularity",
"timestamp": "YYYYMMDD00", "access", "agent", "views"}]}``; data starts 2015-07. ``user``
counts people, not crawlers. An article with no data (a wrong title, or a redirect: titles
are taken literally) is a 404, recorded against that term. Wikimedia asks for a descriptive
User-Agent and at most 100 requests a second; one request covers any span, so a monthly
update is one request per article.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import quote

from radar.errors import ParseError
from radar.records import SeriesPoint
from radar.series.collectors.base import (
    Batches,
    Collector,
    Context,
    TermError,
    last_day,
    monthly_point,
)
from radar.series.collectors.http import PoliteClient
from radar.taxonomy.model import Tech

_PROJECTS = {"wikipedia_ja": "ja.wikipedia", "wikipedia_en": "en.wikipedia"}
_TIMESTAMP = re.compile(r"(\d{4})(\d{2})\d{2}\d{2}")


def article_path(title: str) -> str:
    """A title as the API's path segment: spaces as underscores, everything else escaped."""
    return quote(title.strip().replace(" ", "_"), safe="")


def parse_pageviews(source: str, term: str, payload: Any) -> list[SeriesPoint]:
    """The points in one answer; ParseError when it is not the documented shape."""
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise ParseError("parse: pageviews answer has no items list")
    points = []
    for item in items:
        stamp = item.get("timestamp") if isinstance(item, dict) else None
        views = item.get("views") if isinstance(item, dict) else None
        match = _TIMESTAMP.fullmatch(str(stamp))
        if not match or type(views) is not int or views < 0:
            raise ParseError(f"parse: pageviews item is not a month and a count: {item!r:.80}")
        month = date(int(match[1]), int(match[2]), 1)
        points.append(monthly_point(source, term, month, views))
    return points


class Wikipedia(Collector):
    name = "wikipedia"
    sources = ("wikipedia_ja", "wikipedia_en")
    first_month = date(2015, 7, 1)
    min_interval = 0.1  # Wikimedia allows 100/s; ten a second is plenty
    url_setting = "wikimedia_url"

    def terms(self, tech: Tech, source: str) -> tuple[str, ...]:
        return tech.series_terms(source)  # titles are never guessed from aliases

    async def collect(
        self, api: PoliteClient, ctx: Context, source: str, term: str, first: date, last: date
    ) -> Batches:
        path = (
            f"/metrics/pageviews/per-article/{_PROJECTS[source]}/all-access/user"
            f"/{article_path(term)}/monthly/{first:%Y%m%d}00/{last_day(last):%Y%m%d}00"
        )
        response = await self._get(api, ctx, path)
        if response.status == 404:
            raise TermError(
                f"wikipedia: no pageviews for the article {term!r} (check the title)", 404
            )
        if response.status != 200:
            raise self._refused(response)
        yield parse_pageviews(source, term, response.json())
