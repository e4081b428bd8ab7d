"""Adoption and attention series: import a file, see what is stored and what names nothing,
collect public series and see how each source fared.

`radar import-series FILE` reads the long format ``series,term,period,count,total,share``;
`radar series` lists each stored source and how many of its terms name technologies;
`radar series unmapped` lists the terms that name none, to add to a ``series:`` block;
`radar series update` collects public series and `radar series health` shows each run.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from radar.cli.shell import (
    JSON_OPTION,
    clean,
    console,
    emit,
    now,
    open_store,
    progress_bars,
    readable_file,
    settings,
)
from radar.errors import ConfigError
from radar.series.coverage import SourceCoverage, source_coverage, unmapped_terms
from radar.series.importer import ImportReport, import_series_file
from radar.series.sources import SOURCES
from radar.store.series import source_summaries
from radar.store.series_health import SourceHealth, is_demo_store, source_health
from radar.taxonomy.layers import taxonomy_for

app = typer.Typer()
series_app = typer.Typer(help="Adoption and attention series: stored, unmapped, collected, health.")
_COVERAGE_COLUMNS = ("source", "measures", "terms", "points", "from", "to", "mapped terms", "techs")
_KIB = 1024
_HEALTH_COLOURS = {"ok": "green", "failing": "red", "paused": "yellow", "never run": "blue"}
DEMO_MESSAGE = (
    "The offline demo has no collectors: public series come from the internet. "
    "Point --db at a real store (or run `radar init`) to collect them."
)
OFF_MESSAGE = "Series collection is off (series.collect = false); nothing was asked."


def _coverage_row(row: SourceCoverage) -> tuple[object, ...]:
    return (
        row.source, f"{row.name_en} ({row.evidence or 'unknown source'})", row.terms,
        f"{row.points:,}", row.first_period_end, row.last_period_end,
        f"{row.mapped_terms} ({row.mapped_terms / row.terms:.0%})" if row.terms else 0,
        row.technologies,
    )  # fmt: skip


def _print_import(report: ImportReport, coverage: list[SourceCoverage], shown: int) -> None:
    console.print(
        f"{report.rows:,} rows read: {report.stored:,} points stored ({report.new:,} new, "
        f"{report.stored - report.new:,} replaced a value of the same series, term and period), "
        f"[{'red' if report.refused else 'green'}]{report.refused:,} refused[/]."
    )
    emit(coverage, False, _COVERAGE_COLUMNS, _coverage_row, title="Sources in this file")
    for error in report.errors[:shown]:
        console.print(f"  [yellow]line {error.line}[/]: {clean(error.reason)}")
    hidden = report.refused - min(shown, len(report.errors))
    if hidden > 0:
        console.print(f"  … and {hidden:,} more refused rows (see --show-errors).")
    if any(row.mapped_terms < row.terms for row in coverage):
        console.print("Terms that name no technology: [bold]radar series unmapped[/].")


@app.command("import-series")
def import_series(
    file: Path,
    as_json: Annotated[bool, JSON_OPTION] = False,
    show_errors: Annotated[
        int, typer.Option("--show-errors", min=0, help="List the first N refused rows.")
    ] = 10,
) -> None:
    """Import adoption/attention series (CSV: series,term,period,count,total,share); repeatable.

    Periods are YYYY, YYYY-MM, YYYY-Qn, YYYY-Www or YYYY-MM-DD. A bad row is refused with its
    line number and the rest is imported; importing a file again replaces its values, adding
    nothing. Terms are tied to technologies by their taxonomy `series:` block, id or aliases.
    Example: radar import-series tag-counts.csv
    """
    current = settings()
    db = open_store(current)
    taxonomy = taxonomy_for(current)  # a broken taxonomy stops before the import
    readable_file("import-series", file)
    with progress_bars() as progress:
        report = import_series_file(
            db, file,
            lambda done, total: progress("import", done // _KIB, total // _KIB, "KiB"),
        )  # fmt: skip
    coverage = [row for row in source_coverage(db, taxonomy) if row.source in report.sources]
    if as_json:
        emit(
            {"rows": report.rows, "stored": report.stored, "new": report.new,
             "refused": report.refused,
             "errors": [asdict(e) for e in report.errors[:show_errors]],
             "sources": [asdict(row) | {"points_in_file": report.sources[row.source]}
                         for row in coverage]},
            True, (), tuple,
        )  # fmt: skip
        return
    _print_import(report, coverage, show_errors)


@series_app.callback(invoke_without_command=True)
def series(ctx: typer.Context, as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Each stored series source: terms, points, span, and the terms that name technologies.

    Example: radar series --json
    """
    if ctx.invoked_subcommand:
        return
    list_sources(as_json)


@series_app.command("list")
def list_sources(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Each stored series source (the same as `radar series`).

    Example: radar series list
    """
    current = settings()
    rows = source_coverage(open_store(current), taxonomy_for(current))
    emit(
        [asdict(row) for row in rows] if as_json else rows, as_json, _COVERAGE_COLUMNS,
        _coverage_row, empty="No series stored yet: [bold]radar import-series FILE[/].",
    )  # fmt: skip


@series_app.command()
def unmapped(
    source: Annotated[
        str | None, typer.Option(help=f"Only this source (e.g. {next(iter(SOURCES))}).")
    ] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="At most N terms.")] = None,
) -> None:
    """Stored terms that name no technology: add them to a technology's `series:` block.

    A term is tied to a technology only by an exact name (its `series:` block, id or aliases,
    ignoring case and - _ spaces), never by similarity; the rest are listed here.
    Example: radar series unmapped --source hn_whoishiring_postings
    """
    current = settings()
    db = open_store(current)
    stored = [row.source for row in source_summaries(db)]
    if source is not None and source not in stored:
        known = ", ".join(stored) or "none yet (radar import-series FILE)"
        raise ConfigError(f"series unmapped: no stored source {source!r}; stored: {known}")
    rows = unmapped_terms(db, taxonomy_for(current), source)
    total = len(rows)
    rows = rows[:limit] if limit else rows
    emit(
        [asdict(row) for row in rows] if as_json else rows, as_json,
        ("source", "term", "points", "from", "to"),
        lambda r: (r.source, r.term, r.points, r.first_period_end, r.last_period_end),
        empty="Every stored term names a technology." if total == 0 else "",
    )  # fmt: skip
    if not as_json and total:
        console.print(f"{len(rows)} of {total:,} unmapped terms.")


@series_app.command("update")
def update(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
    tech: Annotated[str | None, typer.Option("--tech", help="Only this technology id.")] = None,
) -> None:
    """Collect public series (pageviews, questions, downloads, news) from where each stopped.

    Only months after the newest stored one are asked (that one again: it may have been
    partial). A source whose quota is spent stops cleanly and resumes on a later run.
    Example: radar series update --source wikipedia_en --tech kubernetes
    """
    from radar.series.collect import update_series

    current = settings()
    db = open_store(current)
    if is_demo_store(db):
        console.print(DEMO_MESSAGE)
        return
    if not current.series.collect:
        console.print(OFF_MESSAGE)
        return
    taxonomy = taxonomy_for(current)
    with progress_bars() as progress:
        report = update_series(
            db, current, taxonomy, now(), sources=source, tech=tech, progress=progress
        )
    console.print(
        f"Stored {report.points:,} monthly values from {report.requests:,} requests in "
        f"{report.elapsed_seconds:.1f} s ({report.waited_seconds:.1f} s of it pausing "
        "for politeness)."
    )
    for run in report.sources:
        if run.error:
            console.print(f"  [red]✗[/] {run.source}: {clean(run.error)}")
        elif run.skipped:
            console.print(f"  [yellow]…[/] {run.source}: {clean(run.skipped)}")
        elif run.terms == 0:
            console.print(f"  [blue]·[/] {run.source}: no technology names a term for it")
        for term, error in list(run.term_errors.items())[:5]:
            console.print(f"  [red]✗[/] {run.source} {clean(term)}: {clean(error)}")
        if len(run.term_errors) > 5:
            console.print(f"    … and {len(run.term_errors) - 5} more terms failed")


@series_app.command("health")
def health(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Show how each collected source fared on its last run, failing and paused first.

    Example: radar series health --json
    """
    from radar.series.collectors import collected_sources  # httpx: only when asked

    known = source_health(open_store(settings()))
    rows = [known.get(source, SourceHealth(source)) for source in collected_sources()]
    order = {"failing": 0, "paused": 1, "ok": 2, "never run": 3}
    rows.sort(key=lambda h: order[h.status])
    emit(
        [{**h.__dict__, "status": h.status} for h in rows], as_json,
        ("source", "status", "last success", "terms", "values", "term errors", "resumes",
         "last error"),
        lambda r: (
            r["source"], Text(r["status"], style=_HEALTH_COLOURS[r["status"]]),
            r["last_success_at"] or "never", r["terms"], r["points"], r["term_errors"],
            r["resume_at"] or "", (r["last_error"] or r["last_term_error"] or "")[:80],
        ),
    )  # fmt: skip
