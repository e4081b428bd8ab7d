"""What every command shares: settings and store, output (a table or JSON), progress, errors.

Outside text (feed titles, server messages, file contents, arguments) is printed through
:func:`clean`, never as Rich markup, so a title such as ``[/bold]`` or an escape sequence
cannot break or repaint the terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from radar.config import Settings, load_settings
from radar.errors import ConfigError, RadarError, SearchError
from radar.plaintext import strip_controls
from radar.store.db import open_db

# Piped output is read by programs and people with wide windows: never cut it at 80 columns.
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, soft_wrap=True)  # an error stays one line
JSON_OPTION = typer.Option("--json", help="Print JSON.")
_STAGES = {
    "fetch": "Fetching", "link": "Linking technologies", "score": "Scoring new items",
    "train": "Training", "editions": "Building editions", "demo": "Demo weeks",
    "import": "Importing",
}  # fmt: skip


# Typer ships its own copy of click and re-exports only BadParameter; its base is the
# UsageError every parsing problem raises.
_USAGE_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class RadarGroup(TyperGroup):
    """Typer's group, turning a RadarError or a usage error into one line and an exit code.

    A configuration or usage problem (a bad setting, argument or search) exits 2, like
    click's usage errors; any other RadarError (a failed send, a corrupt model) exits 1.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RadarError as exc:
            err_console.print(f"[red]error:[/] {clean(str(exc))}")
            raise typer.Exit(2 if isinstance(exc, ConfigError | SearchError) else 1) from None
        except _USAGE_ERROR as exc:  # a missing argument, an unknown command or option
            where = exc.ctx.command_path if exc.ctx else "radar"
            err_console.print(
                f"[red]error:[/] {clean(exc.format_message())} (see `{clean(where)} --help`)"
            )
            raise typer.Exit(2) from None


class _Options:
    db: Path | None = None
    config: Path | None = None


options = _Options()


def settings() -> Settings:
    """The settings for this call (``--config``/``--db`` win over the environment)."""
    return load_settings(options.config, db_path=options.db)


def open_store(current: Settings) -> sqlite_utils.Database:
    """Open (and migrate) the store the settings name."""
    return open_db(current.db_path)


def now() -> datetime:
    """The one clock of a command."""
    return datetime.now(UTC)


def clean(text: object) -> str:
    """Outside text made safe to print: control sequences dropped, Rich markup escaped."""
    return escape(strip_controls(str(text)))


def emit(
    rows: Any, as_json: bool, columns: Sequence[str], row: Callable[[Any], Sequence[object]],
    *, empty: str = "", title: str | None = None,
) -> None:  # fmt: skip
    """Print ``rows`` as JSON, or as a table (``empty`` when none).

    Every cell becomes a plain :class:`~rich.text.Text` with control characters dropped:
    outside text is never read as markup, and Rich skips its markup parser and highlighter
    (half of the time `radar feeds` spent printing 300 feeds).
    """
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if not rows and empty:
        console.print(empty)
        return
    table = Table(*columns, title=title)
    for item in rows:
        table.add_row(
            *(c if isinstance(c, Text) else Text(strip_controls(str(c))) for c in row(item))
        )
    console.print(table)


def parse_date(option: str, text: str | None) -> datetime | None:
    """A date or date-time given on the command line, as aware UTC; one error for all options."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date like 2024-01-31") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def readable_file(what: str, path: Path) -> Path:
    """``path`` if it is a readable file; else a one-line error naming it."""
    if not path.exists():
        raise ConfigError(f"{what}: {path} does not exist")
    if not path.is_file():
        raise ConfigError(f"{what}: {path} is not a file")
    return path


@contextmanager
def progress_bars() -> Iterator[Callable[[str, int, int | None, str], None]]:
    """A workflow progress callback drawing one bar per stage; idle stages leave no line."""
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[current]}"), TimeElapsedColumn(), console=err_console,
    ) as bar:  # fmt: skip
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int | None, label: str) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total, current="")
            bar.update(tasks[stage], completed=done, total=total, current=clean(label)[:40])

        try:
            yield report
        finally:
            if not tasks:  # nothing happened (or it failed first): leave no blank line behind
                bar.live.transient = True


@contextmanager
def spinner(text: str) -> Iterator[Callable[[str, int, int | None, str], None]]:
    """A workflow progress callback showing the current step beside a spinner."""
    with err_console.status(text) as status:

        def report(stage: str, done: int, total: int | None, label: str) -> None:
            step = label or (f"{done}/{total}" if total else "")
            status.update(f"{_STAGES.get(stage, stage)}: {clean(step)}")

        yield report
