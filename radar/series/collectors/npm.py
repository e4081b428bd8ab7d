"""npm downloads per month of one package (the npm download counts API).

``GET {base}/downloads/range/{YYYY-MM-DD}:{YYYY-MM-DD}/{package}`` answers ``{"start", "end",
"package", "downloads": [{"day", "downloads"}]}``, downloads per day, summed here into months.
One request may cover at most 18 months and nothing before 2015-01-10, so a back-fill asks in
spans of 18 whole months; the same request without a package gives every download of the
registry, the total the share is taken of (asked once per span per run). An unknown package
is a 404 (``{"error": "package x not found"}``), recorded against that term. No key, no
published rate limit: paced at two requests a second.
"""

from __future__ import annotations

from collections import defaultdict
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
    months,
)
from radar.series.collectors.http import PoliteClient
from radar.taxonomy.model import Tech

EARLIEST = date(2015, 1, 10)
SPAN_MONTHS = 18


def daily_by_month(payload: Any) -> dict[date, int]:
    """Downloads per month from one range answer; ParseError when it is not that shape."""
    days = payload.get("downloads") if isinstance(payload, dict) else None
    if not isinstance(days, list):
        raise ParseError("parse: npm answer has no downloads list")
    sums: dict[date, int] = defaultdict(int)
    for entry in days:
        day = entry.get("day") if isinstance(entry, dict) else None
        count = entry.get("downloads") if isinstance(entry, dict) else None
        try:
            when = date.fromisoformat(str(day))
        except ValueError:
            raise ParseError(f"parse: npm day is not a date: {day!r:.40}") from None
        if type(count) is not int or count < 0:
            raise ParseError(f"parse: npm downloads is not a count: {count!r:.40}")
        sums[when.replace(day=1)] += count
    return dict(sums)


def spans(first: date, last: date) -> list[tuple[date, date]]:
    """(first day, last day) of each request: at most 18 whole months, none before 2015-01-10."""
    all_months = months(max(first, EARLIEST.replace(day=1)), last)
    found = []
    for i in range(0, len(all_months), SPAN_MONTHS):
        chunk = all_months[i : i + SPAN_MONTHS]
        found.append((max(chunk[0], EARLIEST), last_day(chunk[-1])))
    return found


def package_path(name: str) -> str:
    """A package name as the path wants it: a scope's ``@`` and ``/`` kept, the rest escaped."""
    return quote(name.strip(), safe="@/")


class Npm(Collector):
    name = "npm"
    sources = ("npm_downloads",)
    first_month = date(2015, 1, 1)
    min_interval = 0.5
    url_setting = "npm_url"

    def terms(self, tech: Tech, source: str) -> tuple[str, ...]:
        return tech.series_terms("npm")

    async def _range(
        self, api: PoliteClient, ctx: Context, start: date, end: date, package: str
    ) -> dict[date, int]:
        path = f"/downloads/range/{start.isoformat()}:{end.isoformat()}"
        if package:
            path += f"/{package_path(package)}"
        response = await self._get(api, ctx, path)
        if response.status == 404:
            raise TermError(f"npm: no package named {package!r}", 404)
        if response.status != 200:
            raise self._refused(response)
        return daily_by_month(response.json())

    async def collect(
        self, api: PoliteClient, ctx: Context, source: str, term: str, first: date, last: date
    ) -> Batches:
        for start, end in spans(first, last):
            key = (source, f"{start}:{end}")
            if key not in ctx.totals:
                registry = await self._range(api, ctx, start, end, "")
                ctx.totals.update({(source, f"{m:%Y-%m}"): float(v) for m, v in registry.items()})
                ctx.totals[key] = None
            counts = await self._range(api, ctx, start, end, term)
            points: list[SeriesPoint] = [
                monthly_point(source, term, month, counts.get(month, 0),
                              ctx.totals.get((source, f"{month:%Y-%m}")))
                for month in months(start.replace(day=1), end)
            ]  # fmt: skip
            yield points
