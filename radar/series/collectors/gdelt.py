"""News volume per month in Japanese and in English sources (GDELT DOC 2.0 API).

``GET {base}/doc/doc?query="TERM" sourcelang:japanese&mode=timelinevolraw&format=json
&startdatetime=YYYYMMDDHHMMSS&enddatetime=YYYYMMDDHHMMSS`` answers ``{"query_details":
{"title", "date_resolution"}, "timeline": [{"series": "Article Count", "data": [{"date":
"YYYYMMDDTHHMMSSZ", "value": N, "norm": M}]}]}``: matching articles per step (a day, over
long spans) and ``norm``, every article GDELT monitored in that step. Steps are summed into
months, ``norm`` into the total. One query serves both languages: GDELT indexes machine
translations of non-English coverage (its "Translingual" feed; a ``news`` term in Japanese
can be given where that falls short). Timelines go back to 2017-01; one request asks the
whole span, which GDELT answers at daily resolution. An invalid query
is answered 200 with a plain-text message instead of JSON, recorded against the term. GDELT
asks for at most one request every five seconds; this is what bounds a monthly update.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from radar.errors import ParseError
from radar.series.collectors.base import (
    Batches,
    Collector,
    Context,
    TermError,
    monthly_point,
    months,
    news_terms,
    next_month,
)
from radar.series.collectors.http import PoliteClient
from radar.taxonomy.model import Tech

_LANGUAGES = {"gdelt_ja": "japanese", "gdelt_en": "english"}
_STEP = re.compile(r"(\d{4})(\d{2})(\d{2})T\d{6}Z")


def query_for(term: str, source: str) -> str:
    """The DOC query: the term as an exact phrase, limited to the source's language."""
    phrase = term.replace('"', " ").strip()
    return f'"{phrase}" sourcelang:{_LANGUAGES[source]}'


def monthly_volume(payload: Any) -> dict[date, tuple[int, int]]:
    """(matching, monitored) articles per month; ParseError for any other shape."""
    timeline = payload.get("timeline") if isinstance(payload, dict) else None
    if not isinstance(timeline, list):
        raise ParseError("parse: GDELT answer has no timeline")
    sums: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for series in timeline[:1]:  # timelinevolraw has one series, "Article Count"
        data = series.get("data") if isinstance(series, dict) else None
        if not isinstance(data, list):
            raise ParseError("parse: GDELT timeline has no data")
        for step in data:
            stamp = step.get("date") if isinstance(step, dict) else None
            value = step.get("value") if isinstance(step, dict) else None
            norm = step.get("norm", 0) if isinstance(step, dict) else None
            match = _STEP.fullmatch(str(stamp))
            if not match or type(value) is not int or type(norm) is not int or min(value, norm) < 0:
                raise ParseError(f"parse: GDELT step is not a date and counts: {step!r:.80}")
            month = date(int(match[1]), int(match[2]), 1)
            sums[month][0] += value
            sums[month][1] += norm
    return {month: (v, n) for month, (v, n) in sums.items()}


class Gdelt(Collector):
    name = "gdelt"
    sources = ("gdelt_ja", "gdelt_en")
    first_month = date(2017, 1, 1)
    min_interval = 5.0  # GDELT: "please limit requests to one every 5 seconds"
    url_setting = "gdelt_url"

    def terms(self, tech: Tech, source: str) -> tuple[str, ...]:
        return news_terms(tech)

    async def collect(
        self, api: PoliteClient, ctx: Context, source: str, term: str, first: date, last: date
    ) -> Batches:
        end = min(next_month(last) - timedelta(days=1), ctx.now.date())
        params = {
            "query": query_for(term, source), "mode": "timelinevolraw", "format": "json",
            "startdatetime": f"{first:%Y%m%d}000000", "enddatetime": f"{end:%Y%m%d}235959",
        }  # fmt: skip
        response = await self._get(api, ctx, "/doc/doc", params=params)
        if response.status != 200:
            raise self._refused(response)
        if "json" not in response.headers.get("content-type", ""):
            raise TermError(f"gdelt: query refused: {response.text()}", 200)
        volume = monthly_volume(response.json())
        found = [(month, volume.get(month, (0, 0))) for month in months(first, last)]
        yield [monthly_point(source, term, month, v, n or None) for month, (v, n) in found]
