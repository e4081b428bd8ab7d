"""Subscriptions: feed health, adding, disabling and enabling feeds, OPML in and out."""

from __future__ import annotations

import sys
from collections import Counter
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
    readable_file,
    settings,
    spinner,
)
from radar.errors import ConfigError
from radar.ingest.sources import MAX_OPML_OUTLINES
from radar.store.feeds import feed_exists, feed_health, feed_status, set_enabled

feeds_app = typer.Typer(help="Feed health, and adding or disabling feeds.")
opml_app = typer.Typer(help="Import or export feeds as OPML.")
_COLOURS = {
    "ok": "green", "failing": "red", "unfetched": "blue", "disabled": "yellow", "archive": "cyan",
    "added": "green", "present": "cyan", "refused": "red",
}  # fmt: skip
_STATES = {"unfetched": "not fetched yet"}
_OUTCOMES = {"added": "added", "present": "already present", "refused": "refused"}
# About a screen: a table of thousands of rows takes seconds to print (Rich, ~0.5 ms a row) and
# nobody reads it; broken feeds come first, and the count by status above covers the rest.
FEEDS_SHOWN = 50
ALLOW_PRIVATE = typer.Option("--allow-private", help="Allow loopback/private addresses.")


@feeds_app.callback(invoke_without_command=True)
def feeds(
    ctx: typer.Context,
    as_json: Annotated[bool, JSON_OPTION] = False,
    limit: Annotated[
        int, typer.Option(min=0, help="Rows in the table, broken first (0: all; --json: all).")
    ] = FEEDS_SHOWN,
) -> None:
    """Show feed health, broken feeds first, after a count of feeds by status.

    Example: radar feeds --limit 0
    """
    if ctx.invoked_subcommand:
        return
    rows = [{**r, "status": feed_status(r)} for r in feed_health(open_store(settings()))]
    shown = rows if as_json or not limit else rows[:limit]
    if rows and not as_json:
        counts = Counter(r["status"] for r in rows)
        console.print(
            f"{len(rows):,} feeds: "
            + ", ".join(f"{n:,} {_STATES.get(status, status)}" for status, n in counts.items())
        )
    emit(
        shown, as_json,
        ("feed", "id", "status", "last success", "errors", "next due", "items", "last error"),
        lambda r: (
            r["name"], r["id"],
            Text(_STATES.get(r["status"], r["status"]), style=_COLOURS[r["status"]]),
            r["last_success_at"] or "never", r["error_count"],
            r["next_due_at"] or "now", r["item_count"],
            (r["disabled_reason"] or r["last_error"] or "")[:80],
        ),
        empty="No feeds yet. Add some to feeds.yaml, or run [bold]radar demo[/].",
    )  # fmt: skip
    if len(shown) < len(rows):
        console.print(f"Showing {len(shown):,} of {len(rows):,}; all: radar feeds --limit 0")


@feeds_app.command("add")
def feeds_add(
    url: str,
    name: Annotated[str | None, typer.Option(help="Display name (default: feed title).")] = None,
    lang: Annotated[str | None, typer.Option(help="Language hint, e.g. ja or en.")] = None,
    allow_private: Annotated[bool, ALLOW_PRIVATE] = False,
) -> None:
    """Add a feed after fetching it once (http/https only; private addresses refused).

    Example: radar feeds add https://www.publickey1.jp/atom.xml --lang ja
    """
    from radar.ingest.subscribe import subscribe

    current = settings()
    spec = subscribe(
        open_store(current), url, current, now, name=name, lang=lang,
        allow_private=allow_private or current.http.allow_private,
    )  # fmt: skip
    console.print(f"Added [bold]{clean(spec.name)}[/] ({clean(spec.id)}): {clean(spec.url)}")


@feeds_app.command("disable")
def feeds_disable(feed_id: str) -> None:
    """Stop polling a feed (it stays listed).  Example: radar feeds disable publickey"""
    _set_enabled(feed_id, False)


@feeds_app.command("enable")
def feeds_enable(feed_id: str) -> None:
    """Poll a disabled feed again.  Example: radar feeds enable publickey"""
    _set_enabled(feed_id, True)


def _set_enabled(feed_id: str, enabled: bool) -> None:
    db = open_store(settings())
    if not feed_exists(db, feed_id):
        raise ConfigError(f"feeds: no feed with id {feed_id!r} (see `radar feeds`)")
    set_enabled(db, feed_id, enabled, "disabled by hand")
    console.print(f"{clean(feed_id)}: {'enabled' if enabled else 'disabled'}")


@opml_app.command("import")
def opml_import(
    file: Path,
    allow_private: Annotated[bool, ALLOW_PRIVATE] = False,
    max_feeds: Annotated[
        int, typer.Option(min=1, help="Refuse files listing more outlines than this.")
    ] = MAX_OPML_OUTLINES,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Add every feed of an OPML file and say what became of each outline.

    A feed is known by its address: outlines sharing a title are separate feeds, an address
    already subscribed is left as it is, private addresses are refused unless allowed.
    Example: radar opml import subscriptions.opml --json
    """
    from radar.ingest.opml_import import import_opml

    current = settings()
    with readable_file("opml import", file).open("rb") as source, spinner("Checking feeds"):
        results = import_opml(
            open_store(current), source, current, now(),
            allow_private=allow_private or current.http.allow_private, max_outlines=max_feeds,
        )  # fmt: skip
    if as_json:
        emit([asdict(r) for r in results], True, (), lambda r: ())
        return
    emit(
        results, False, ("#", "outcome", "feed", "id", "url", "note"),
        lambda r: (
            r.outline, Text(_OUTCOMES[r.status], style=_COLOURS[r.status]), r.name,
            r.feed_id or "", r.url, r.reason or "",
        ),
        empty="The file lists no feeds.",
    )  # fmt: skip
    counts = Counter(r.status for r in results)
    console.print(
        f"Imported {counts['added']} feeds from {clean(file)}: {counts['present']} already "
        f"present, {counts['refused']} refused."
    )


@opml_app.command("export")
def opml_export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Write every feed (not archive sources) as OPML.  Example: radar opml export -o feeds.opml"""
    from radar.ingest.sources import to_opml

    polled = (r for r in feed_health(open_store(settings())) if feed_status(r) != "archive")
    text = to_opml((r["name"], r["url"], None) for r in polled)
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"Wrote {clean(output)}")
    else:
        sys.stdout.write(text + "\n")
