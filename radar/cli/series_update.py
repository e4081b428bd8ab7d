"""`radar series update` and `radar series health`: collect public series, see how each fared."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from radar.cli.series import series_app
from radar.cli.shell import (
    JSON_OPTION,
    clean,
    console,
    emit,
    now,
    open_store,
    progress_bars,
    settings,
)
from radar.store.series_health import SourceHealth, is_demo_store, source_health

_COLOURS = {"ok": "green", "failing": "red", "paused": "yellow", "never run": "blue"}
DEMO_MESSAGE = (
    "The offline demo has no collectors: public series come from the internet. "
    "Point --db at a real store (or run `radar init`) to collect them."
)
OFF_MESSAGE = "Series collection is off (series.collect = false); nothing was asked."


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
    from radar.taxonomy.layers import taxonomy_for

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
            r["source"], Text(r["status"], style=_COLOURS[r["status"]]),
            r["last_success_at"] or "never", r["terms"], r["points"], r["term_errors"],
            r["resume_at"] or "", (r["last_error"] or r["last_term_error"] or "")[:80],
        ),
    )  # fmt: skip
