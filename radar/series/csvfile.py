"""Read the long series format ``series,term,period,count,total,share``, one row at a time.

The file comes from outside: a bad row (a missing column, a number that is not one, a period
no source uses, bytes that are not UTF-8) is reported with its line number and skipped; the
rest of the file is read.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from radar.errors import ParseError
from radar.plaintext import strip_controls
from radar.records import SeriesPoint
from radar.series.periods import period_end

COLUMNS = ("series", "term", "period", "count", "total", "share")


@dataclass(frozen=True)
class RowError:
    """One row that was not read, and why."""

    line: int
    reason: str


class SeriesFileError(ParseError):
    """The file as a whole cannot be imported (unreadable, or not in this format at all)."""


class HeaderError(SeriesFileError):
    """The file is not in the long series format at all (its header names other columns)."""


def _number(text: str, column: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    value = float(text)  # ValueError names the text
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{column} must be a finite number >= 0, not {text!r}")
    return value


def _point(row: list[str]) -> SeriesPoint:
    # Written out rather than looped: this runs once per row, 134k times for tag-counts.csv.
    if len(row) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} columns, found {len(row)}")
    source = strip_controls(row[0]).strip()
    term = strip_controls(row[1]).strip()
    period = strip_controls(row[2]).strip()
    if not source or not term:
        raise ValueError("series and term must not be empty")
    if "\ufffd" in source or "\ufffd" in term:
        raise ValueError("text is not valid UTF-8")
    count = _number(row[3], "count")
    total = _number(row[4], "total")
    share = _number(row[5], "share")
    if share is None and count is not None and total:
        share = count / total
    if count is None and share is None:
        raise ValueError("a row needs a count or a share")
    return SeriesPoint(source, term, period, period_end(period), count, total, share)


def read_rows(stream: IO[bytes]) -> Iterator[SeriesPoint | RowError]:
    """Yield each row as a point, or as the error that kept it out."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        reader = csv.reader(text)
        header = [h.strip().lower() for h in next(reader, [])]
        if tuple(header) != COLUMNS:
            found = ",".join(header)[:200]
            raise HeaderError(
                f"series file: the header must be {','.join(COLUMNS)}, not {found or '(empty)'}"
            )
        for row in reader:
            if not row:
                continue
            try:
                yield _point(row)
            except (ValueError, csv.Error) as exc:
                yield RowError(reader.line_num, str(exc)[:200])
    finally:
        text.detach()  # the caller owns the stream and closes it
