"""Import a series file into the store, in batches, idempotently, with progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from radar.records import SeriesPoint
from radar.series.csvfile import RowError, SeriesFileError, read_rows
from radar.store.series import count_points, upsert_points

BATCH = 20_000
MAX_ERRORS_KEPT = 50


@dataclass
class ImportReport:
    """What an import did: rows read and stored, and the rows refused (first few kept)."""

    rows: int = 0
    stored: int = 0
    new: int = 0  # points the store did not hold before (the rest replaced equal keys)
    refused: int = 0
    errors: list[RowError] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)


def import_series_file(
    db: sqlite_utils.Database, path: Path, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Read ``path`` and store its points; ``progress(bytes_read, bytes_total)`` as it goes.

    Each batch is its own transaction, so a killed import keeps what it stored, and running it
    again replaces those values instead of adding them twice. A file that cannot be opened or
    has another header raises :class:`SeriesFileError` (a RadarError) before anything is stored.
    """
    report = ImportReport()
    try:
        raw = path.open("rb")
    except OSError as exc:  # missing, a folder, no permission
        raise SeriesFileError(f"series file: cannot read {path}: {exc.strerror or exc}") from exc
    total = path.stat().st_size
    before = count_points(db)
    batch: list[SeriesPoint] = []
    with raw:

        def flush() -> None:
            report.stored += upsert_points(db, batch)
            batch.clear()
            if progress:
                progress(raw.tell(), total)

        for entry in read_rows(raw):
            report.rows += 1
            if isinstance(entry, RowError):
                report.refused += 1
                if len(report.errors) < MAX_ERRORS_KEPT:
                    report.errors.append(entry)
                continue
            report.sources[entry.source] = report.sources.get(entry.source, 0) + 1
            batch.append(entry)
            if len(batch) >= BATCH:
                flush()
        flush()
    report.new = count_points(db) - before
    return report
