"""Commands that bring items in or serve them: init, fetch, demo, import-archive, items, run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from radar.cli.shell import (
    JSON_OPTION,
    clean,
    console,
    emit,
    now,
    open_store,
    parse_date,
    progress_bars,
    readable_file,
    settings,
)
from radar.store.editions import edition_weeks
from radar.store.feeds import sync_feeds

app = typer.Typer()


@app.command()
def init() -> None:
    """Create the database and load the feeds from the configuration.

    Example: radar --db data/radar.db init
    """
    current = settings()
    new = sync_feeds(open_store(current), current.feeds, "config", now())
    console.print(
        f"Database ready at [bold]{clean(current.db_path)}[/] with {len(current.feeds)}"
        f" configured feeds ({new} new)."
    )


@app.command()
def fetch(
    all_feeds: Annotated[bool, typer.Option("--all", help="Poll every enabled feed now.")] = False,
) -> None:
    """Poll due feeds (or all) once and print a summary; failed feeds do not fail the run.

    Example: radar fetch --all
    """
    from radar import workflows

    current = settings()
    db = open_store(current)
    sync_feeds(db, current.feeds, "config", now())
    with progress_bars() as progress:
        summary = workflows.poll(db, current, now, everything=all_feeds, progress=progress)
    console.print(
        f"{summary.feeds} feeds: [green]{summary.ok} ok[/], {summary.not_modified} not modified, "
        f"[red]{summary.failed} failed[/]; [bold]{summary.new_items}[/] new items."
    )
    for feed_id, error in sorted(summary.errors.items()):
        console.print(f"  [red]✗[/] {clean(feed_id)}: {clean(error)}")


@app.command()
def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the store has items already.")
    ] = False,
    weeks: Annotated[int | None, typer.Option(help="Ingest only the first N weeks.")] = None,
) -> None:
    """Ingest the offline demo corpus week by week through the real fetch path.

    Example: radar demo
    """
    from radar import workflows
    from radar.demo.ingest import ingest_demo  # the demo's corpus is only read by this command
    from radar.store.items import count_items

    current = settings()
    db = open_store(current)
    if if_empty and count_items(db):
        console.print("The store has items already; demo skipped.")
        return
    with progress_bars() as progress:
        result = ingest_demo(
            db, current, weeks=weeks,
            progress=lambda done, total, label: progress("demo", done, total, label),
        )  # fmt: skip
        workflows.first_model(db, current, now(), progress, bulk=True)
        workflows.build_editions(db, current, now(), progress=progress)
    console.print(
        f"Demo ready: {result.weeks} weekly snapshots of {result.feeds} feeds, "
        f"{result.new_items} items stored in {clean(current.db_path)}."
    )
    console.print(f"The radar has {len(edition_weeks(db))} weekly editions.")


@app.command("import-archive")
def import_archive(file: Path) -> None:
    """Back-fill a dated headline archive (JSONL or CSV, gzip allowed); safe to repeat.

    Columns: date, title, url, source, optional lang, summary, id. Each source becomes an
    archive source (not polled) that counts as an independent source in the radar's evidence.
    Example: radar import-archive headlines-2018.jsonl.gz
    """
    from radar import workflows
    from radar.ingest.archive import count_rows
    from radar.ingest.archive import import_archive as run_import

    current = settings()
    db = open_store(current)
    readable_file("import-archive", file)
    with progress_bars() as progress:
        total = count_rows(file)
        result = run_import(
            db, file, now(), progress=lambda done: progress("import", done, total, "")
        )
        workflows.link_and_score(db, current, now(), progress)
        built = workflows.build_editions(db, current, now(), progress=progress)
    console.print(
        f"{result.rows:,} rows: {result.inserted:,} new, {result.duplicates:,} already stored, "
        f"{result.bad:,} unreadable; {len(result.sources)} sources."
    )
    for bad in result.bad_examples:
        console.print(f"  [yellow]line {bad.line}[/]: {clean(bad.reason)}")
    console.print(f"Built {built} weekly radar editions.")


@app.command()
def items(
    as_json: Annotated[bool, JSON_OPTION] = False,
    search: Annotated[str | None, typer.Option(help="Full-text search (Japanese works).")] = None,
    since: Annotated[str | None, typer.Option(help="Only items published on/after DATE.")] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="At most N items (default: all).")
    ] = None,
) -> None:
    """List stored items, newest first.

    Example: radar items --search ガバメントクラウド --since 2023-01-01 --json
    """
    from radar.store.items import ItemQuery, count_matching, query_items
    from radar.store.mentions import techs_by_item

    since_dt = parse_date("items: --since", since)
    db = open_store(settings())
    rows = query_items(db, ItemQuery(search=search, since=since_dt, limit=limit))
    techs = techs_by_item(db, [row["id"] for row in rows])
    for row in rows:
        row["technologies"] = techs[row["id"]]
    emit(
        rows, as_json, ("id", "published", "lang", "source", "title"),
        lambda r: (r["id"], r["published"][:10], r["lang"], r["source"], r["title"][:90]),
    )  # fmt: skip
    if not as_json:
        matching = count_matching(db, ItemQuery(search=search, since=since_dt))
        shown = f"{len(rows)} of {matching:,}" if matching > len(rows) else f"{len(rows)}"
        console.print(f"{shown} items")


@app.command()
def run(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port for the web app.")] = 8501,
    with_app: Annotated[
        bool, typer.Option("--app/--no-app", help="Also serve the web app.")
    ] = True,
    demo_mode: Annotated[
        bool, typer.Option("--demo", help="Poll the offline demo feeds (no internet needed).")
    ] = False,
) -> None:
    """Start the fetch schedule (and the web app) until Ctrl-C.

    Example: radar run --port 8501
    """
    from radar.service import serve

    current = settings()
    sync_feeds(open_store(current), current.feeds, "config", now())
    serve(current, port=port, with_app=with_app, demo=demo_mode, console=console)
