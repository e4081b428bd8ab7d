"""When a series period is over: the day a judgment at a date may first see its value.

Sources name periods as a year, a month, a quarter, an ISO week or a day; a back-test at a date
must not see a month that had not ended then, so every period is turned into its last day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

_PATTERNS = (
    (re.compile(r"(\d{4})"), lambda y: date(int(y), 12, 31)),
    (re.compile(r"(\d{4})-(\d{2})"), lambda y, m: _month_end(int(y), int(m))),
    (re.compile(r"(\d{4})-Q([1-4])"), lambda y, q: _month_end(int(y), 3 * int(q))),
    (re.compile(r"(\d{4})-W(\d{2})"), lambda y, w: date.fromisocalendar(int(y), int(w), 7)),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), lambda y, m, d: date(int(y), int(m), int(d))),
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=4096)  # a file names a few hundred periods, each on thousands of rows
def period_end(period: str) -> str:
    """The last day ``period`` covers, as an ISO date; ValueError for a shape no source uses.

    >>> period_end("2014-Q1"), period_end("2016-02"), period_end("2015")
    ('2014-03-31', '2016-02-29', '2015-12-31')
    """
    text = period.strip()
    for pattern, last_day in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return last_day(*match.groups()).isoformat()
            except ValueError as exc:  # month 13, week 54, February 30
                raise ValueError(f"not a real period: {period!r}") from exc
    raise ValueError(
        f"period must be YYYY, YYYY-MM, YYYY-Qn, YYYY-Www or YYYY-MM-DD, not {period!r}"
    )
