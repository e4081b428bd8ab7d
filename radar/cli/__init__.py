"""The `radar` command: one thin command per job, grouped by what it works on.

Each command parses its options, calls one library function (most often a flow of
:mod:`radar.workflows`) and prints the result; a :class:`~radar.errors.RadarError` becomes a
one-line message (exit 2 for a usage or configuration problem, 1 otherwise). Commands import
the heavy parts of the library in their bodies: `radar feeds` must start in well under a
second, and scikit-learn alone takes two.

Examples::

    radar init                      # create the database and load feeds.yaml
    radar demo                      # ingest the offline demo corpus (no internet needed)
    radar fetch --all               # poll every feed now
    radar feeds --json              # feed health
    radar items --search クラウド --limit 20
    radar import-series tag-counts.csv   # adoption series (Stack Overflow, job posts, ...)
    radar run --port 8501           # scheduler + web app
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from radar.cli import classify, feeds, ingest, radar, series
from radar.cli.shell import RadarGroup, options

__all__ = ["app", "main"]

app = typer.Typer(
    cls=RadarGroup, help="Trend Radar: a technology radar built from news feeds.",
    no_args_is_help=True, pretty_exceptions_show_locals=False,
)  # fmt: skip
for commands in (ingest.app, classify.app, radar.app, series.app):
    app.add_typer(commands)
app.add_typer(feeds.feeds_app, name="feeds")
app.add_typer(feeds.opml_app, name="opml")
app.add_typer(classify.techs_app, name="techs")
app.add_typer(classify.models_app, name="models")
app.add_typer(radar.radar_app, name="radar")
app.add_typer(series.series_app, name="series")


@app.callback()
def _global(
    db: Annotated[
        Path | None, typer.Option("--db", envvar="RADAR_DB", help="SQLite database file.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", envvar="RADAR_CONFIG", help="feeds.yaml to use.")
    ] = None,
) -> None:
    options.db, options.config = db, config


def main() -> None:
    """Entry point of the `radar` script."""
    app()
