"""The `radar` command: one thin command per job; library errors become plain messages.

Examples::

    radar init                      # create the database and load feeds.yaml
    radar demo                      # ingest the offline demo corpus (no internet needed)
    radar fetch --all               # poll every feed now
    radar feeds --json              # feed health
    radar items --search クラウド --limit 20
    radar run --port 8501           # scheduler + web app
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from radar.config import Settings, load_settings
from radar.errors import ConfigError, RadarError

app = typer.Typer(
    help="Trend Radar: a technology radar built from news feeds.", no_args_is_help=True
)
feeds_app = typer.Typer(help="Feed health, and adding or disabling feeds.")
opml_app = typer.Typer(help="Import or export feeds as OPML.")
techs_app = typer.Typer(help="The technology taxonomy (taxonomy.yaml).")
models_app = typer.Typer(help="Trained model versions: list, and roll back with `use`.")
radar_app = typer.Typer(help="Weekly radar editions: show, build, export and import (BYOR).")
app.add_typer(radar_app, name="radar")
app.add_typer(models_app, name="models")
app.add_typer(feeds_app, name="feeds")
app.add_typer(opml_app, name="opml")
app.add_typer(techs_app, name="techs")

console = Console()
err_console = Console(stderr=True)


class _State:
    db: Path | None = None
    config: Path | None = None


_state = _State()


@app.callback()
def _global(
    db: Annotated[
        Path | None, typer.Option("--db", envvar="RADAR_DB", help="SQLite database file.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", envvar="RADAR_CONFIG", help="feeds.yaml to use.")
    ] = None,
) -> None:
    _state.db, _state.config = db, config


def _settings() -> Settings:
    return load_settings(_state.config, db_path=_state.db)


def _open(settings: Settings) -> Any:
    from radar.store.db import open_db

    return open_db(settings.db_path)


def _now() -> datetime:
    return datetime.now(UTC)


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[current]}"), TimeElapsedColumn(), console=err_console,
        transient=False,
    )  # fmt: skip


def _sync_config(db: Any, settings: Settings) -> int:
    from radar.store.feeds import sync_feeds

    return sync_feeds(db, settings.feeds, "config", _now())


def _link(db: Any, settings: Settings) -> None:
    """Tie new items (or all, after a taxonomy change) to technologies, then score them."""
    from radar.classify.linking import link_store
    from radar.classify.retrain import score_store
    from radar.classify.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(settings.taxonomy_path)
    with _progress() as bar:
        task = bar.add_task("Linking technologies", total=None, current="")
        link_store(
            db, taxonomy, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
        _hide_if_idle(bar, task)
    with _progress() as bar:
        task = bar.add_task("Scoring new items", total=None, current="")
        score_store(
            db, taxonomy, settings.models_dir, _now(),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )  # fmt: skip
        _hide_if_idle(bar, task)


def _hide_if_idle(bar: Progress, task: Any) -> None:
    """A bar that never got a total had nothing to do: leave no "0/?" line behind."""
    if all(t.total is None for t in bar.tasks if t.id == task):
        bar.update(task, visible=False)
        bar.live.transient = True  # and no blank line where it was


@app.command()
def init() -> None:
    """Create the database and load the feeds from the configuration.

    Example: radar --db data/radar.db init
    """
    settings = _settings()
    db = _open(settings)
    new = _sync_config(db, settings)
    console.print(
        f"Database ready at [bold]{settings.db_path}[/] with {len(settings.feeds)} configured "
        f"feeds ({new} new)."
    )


@app.command()
def fetch(
    all_feeds: Annotated[bool, typer.Option("--all", help="Poll every enabled feed now.")] = False,
) -> None:
    """Poll due feeds (or all) once and print a summary; failed feeds do not fail the run.

    Example: radar fetch --all
    """
    from radar.ingest.pipeline import run_fetch
    from radar.store.feeds import due_feeds

    settings = _settings()
    db = _open(settings)
    _sync_config(db, settings)
    total = len(due_feeds(db, _now(), all_feeds))
    with _progress() as bar:
        task = bar.add_task("Fetching", total=total, current="")

        def advance(feed_id: str, outcome: str) -> None:
            bar.update(task, advance=1, current=feed_id)

        summary = run_fetch(db, settings, _now, everything=all_feeds, progress=advance)
    _link(db, settings)
    console.print(
        f"{summary.feeds} feeds: [green]{summary.ok} ok[/], {summary.not_modified} not modified, "
        f"[red]{summary.failed} failed[/]; [bold]{summary.new_items}[/] new items."
    )
    for feed_id, error in sorted(summary.errors.items()):
        console.print(f"  [red]✗[/] {feed_id}: {error}")


@feeds_app.callback(invoke_without_command=True)
def feeds(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show feed health, broken feeds first.

    Example: radar feeds --json
    """
    if ctx.invoked_subcommand:
        return
    from radar.store.feeds import feed_health, feed_status

    settings = _settings()
    db = _open(settings)
    rows = feed_health(db)
    if as_json:
        _dump(rows)
        return
    if not rows:
        console.print("No feeds yet. Add some to feeds.yaml, or run [bold]radar demo[/].")
        return
    table = Table("feed", "status", "last success", "errors", "next due", "items", "last error")
    for row in rows:
        status = feed_status(row)
        colour = {"ok": "green", "failing": "red", "disabled": "yellow", "archive": "cyan"}[status]
        table.add_row(
            row["name"], f"[{colour}]{status}[/]", row["last_success_at"] or "never",
            str(row["error_count"]), row["next_due_at"] or "now", str(row["item_count"]),
            (row["disabled_reason"] or row["last_error"] or "")[:80],
        )  # fmt: skip
    console.print(table)


@feeds_app.command("add")
def feeds_add(
    url: str,
    name: Annotated[str | None, typer.Option(help="Display name (default: feed title).")] = None,
    lang: Annotated[str | None, typer.Option(help="Language hint, e.g. ja or en.")] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow loopback/private addresses.")
    ] = False,
) -> None:
    """Add a feed after fetching it once (http/https only; private addresses refused).

    Example: radar feeds add https://www.publickey1.jp/atom.xml --lang ja
    """
    from radar.ingest.subscribe import subscribe

    settings = _settings()
    db = _open(settings)
    spec = subscribe(
        db, url, settings, _now, name=name, lang=lang,
        allow_private=allow_private or settings.http.allow_private,
    )  # fmt: skip
    console.print(f"Added [bold]{spec.name}[/] ({spec.id}): {spec.url}")


@feeds_app.command("disable")
def feeds_disable(feed_id: str) -> None:
    """Stop polling a feed (it stays listed).  Example: radar feeds disable publickey"""
    _set_enabled(feed_id, False)


@feeds_app.command("enable")
def feeds_enable(feed_id: str) -> None:
    """Poll a disabled feed again.  Example: radar feeds enable publickey"""
    _set_enabled(feed_id, True)


def _set_enabled(feed_id: str, enabled: bool) -> None:
    from radar.store.feeds import feed_exists, set_enabled

    db = _open(_settings())
    if not feed_exists(db, feed_id):
        raise ConfigError(f"feeds: no feed with id {feed_id!r} (see `radar feeds`)")
    set_enabled(db, feed_id, enabled, "disabled by hand")
    console.print(f"{feed_id}: {'enabled' if enabled else 'disabled'}")


@opml_app.command("import")
def opml_import(
    file: Path,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow loopback/private addresses.")
    ] = False,
) -> None:
    """Add every feed of an OPML file; private addresses are refused unless allowed.

    Example: radar opml import subscriptions.opml
    """
    from radar.ingest.opml_import import import_opml

    settings = _settings()
    db = _open(settings)
    added, refused = import_opml(
        db, file.read_bytes(), settings, _now(),
        allow_private=allow_private or settings.http.allow_private,
    )  # fmt: skip
    console.print(f"Imported {added} feeds from {file}.")
    for url, reason in refused:
        console.print(f"  [red]refused[/] {url}: {reason}")


@opml_app.command("export")
def opml_export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Write every feed (not archive sources) as OPML.  Example: radar opml export -o feeds.opml"""
    from radar.ingest.sources import to_opml
    from radar.store.feeds import feed_health, feed_status

    db = _open(_settings())
    polled = (r for r in feed_health(db) if feed_status(r) != "archive")
    text = to_opml((r["name"], r["url"], None) for r in polled)
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"Wrote {output}")
    else:
        sys.stdout.write(text + "\n")


@app.command()
def items(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    search: Annotated[str | None, typer.Option(help="Full-text search (Japanese works).")] = None,
    since: Annotated[str | None, typer.Option(help="Only items published on/after DATE.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most N items (default: all).")] = None,
) -> None:
    """List stored items, newest first.

    Example: radar items --search ガバメントクラウド --since 2023-01-01 --json
    """
    from radar.store.items import ItemQuery, query_items

    since_dt = None
    if since:
        try:
            since_dt = datetime.fromisoformat(since)
        except ValueError:
            raise ConfigError(f"items: --since {since!r} is not a date like 2024-01-31") from None
        since_dt = since_dt if since_dt.tzinfo else since_dt.replace(tzinfo=UTC)
    from radar.store.mentions import techs_by_item

    db = _open(_settings())
    rows = query_items(db, ItemQuery(search=search, since=since_dt, limit=limit))
    techs = techs_by_item(db, [row["id"] for row in rows])
    for row in rows:
        row["technologies"] = techs[row["id"]]
    if as_json:
        _dump(rows)
        return
    table = Table("id", "published", "lang", "source", "title")
    for row in rows:
        table.add_row(str(row["id"]), row["published"][:10], row["lang"], row["source"],
                      escape(row["title"][:90]))  # fmt: skip
    console.print(table)
    console.print(f"{len(rows)} items")


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
    from radar.demo.ingest import ingest_demo
    from radar.store.items import count_items

    settings = _settings()
    db = _open(settings)
    if if_empty and count_items(db):
        console.print("The store has items already; demo skipped.")
        return
    with _progress() as bar:
        task = bar.add_task("Demo weeks", total=None, current="")

        def advance(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, current=label)

        result = ingest_demo(db, settings, progress=advance, weeks=weeks)
    _link(db, settings)
    console.print(
        f"Demo ready: {result.weeks} weekly snapshots of {result.feeds} feeds, "
        f"{result.new_items} items stored in {settings.db_path}."
    )
    from radar.classify.registry import current_version

    if current_version(settings.models_dir) is None:
        _train(db, settings, force=False)
    console.print(f"Built {_build_editions(db, settings)} weekly radar editions.")


@app.command()
def run(
    port: Annotated[int, typer.Option(help="Port for the web app.")] = 8501,
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

    settings = _settings()
    _sync_config(_open(settings), settings)
    serve(settings, port=port, with_app=with_app, demo=demo_mode, console=console)


@techs_app.command("list")
def techs_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List technologies with their quadrant and how many items mention them.

    Example: radar techs list --json
    """
    from radar.classify.taxonomy import load_taxonomy
    from radar.store.mentions import mention_counts

    settings = _settings()
    taxonomy = load_taxonomy(settings.taxonomy_path)
    counts = {row["tech_id"]: row["items"] for row in mention_counts(_open(settings))}
    rows = [
        {"id": t.id, "name_en": t.name_en, "name_ja": t.name_ja, "quadrant": t.quadrant,
         "aliases": list(t.aliases), "municipal": t.municipal, "items": counts.get(t.id, 0)}
        for t in taxonomy.techs
    ]  # fmt: skip
    if as_json:
        _dump(rows)
        return
    table = Table("id", "名前 / name", "quadrant", "items", "aliases")
    for row in rows:
        table.add_row(row["id"], f"{row['name_ja']} / {row['name_en']}", row["quadrant"],
                      str(row["items"]), ", ".join(row["aliases"])[:60])  # fmt: skip
    console.print(table)


@techs_app.command("add")
def techs_add(
    name: str,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Another spelling.")] = None,
    quadrant: Annotated[str, typer.Option(help="Quadrant id.")] = "ai-data",
    name_ja: Annotated[str | None, typer.Option("--ja", help="Japanese name.")] = None,
) -> None:
    """Add a technology to taxonomy.yaml and re-link past items to it.

    Example: radar techs add "Model Context Protocol" --alias MCP --quadrant ai-data
    """
    from radar.classify.taxonomy import DEFAULT_TAXONOMY_PATH, Tech, add_tech
    from radar.config import slugify

    aliases = tuple(dict.fromkeys([name, *(alias or [])]))
    tech = Tech(id=slugify(name), name_en=name, name_ja=name_ja or name, quadrant=quadrant,
                aliases=aliases)  # fmt: skip
    settings = _settings()
    path = settings.taxonomy_path or DEFAULT_TAXONOMY_PATH
    add_tech(path, tech)
    db = _open(settings)
    _link(db, settings)
    count = db.execute("SELECT count(*) FROM mentions WHERE tech_id = ?", [tech.id]).fetchone()[0]
    console.print(f"Added [bold]{tech.id}[/] to {path}; {count} items mention it.")


@techs_app.command("verdict")
def techs_verdict(
    tech_id: str,
    verdict: Annotated[str, typer.Argument(help="standard or fad.")],
    by: Annotated[str, typer.Option(help="Who decides.", envvar="USER")] = "staff",
) -> None:
    """Say a whole technology will be a standard, or is a fad: a label for the staying model.

    Example: radar techs verdict kubernetes standard --by sato
    """
    from radar.classify.taxonomy import load_taxonomy
    from radar.store.labels import set_tech_verdict

    settings = _settings()
    if tech_id not in load_taxonomy(settings.taxonomy_path):
        raise ConfigError(f"techs: no technology {tech_id!r} (see `radar techs list`)")
    set_tech_verdict(_open(settings), tech_id, verdict, by, _now())
    console.print(f"{tech_id}: {verdict} (by {by}); it counts from the next edition build.")


@app.command()
def tag(
    item_id: int,
    quadrant: Annotated[str | None, typer.Option(help="Quadrant id.")] = None,
    staying: Annotated[str | None, typer.Option(help="fad, standard or unsure.")] = None,
    relevant: Annotated[str | None, typer.Option(help="yes or no.")] = None,
    by: Annotated[str, typer.Option(help="Who is tagging.", envvar="USER")] = "staff",
) -> None:
    """Tag an item by hand; re-tagging replaces the earlier tag.

    Example: radar tag 42 --quadrant ai-data --staying standard --relevant yes --by sato
    """
    from radar.classify.taxonomy import load_taxonomy
    from radar.store.labels import TagError, set_tag

    settings = _settings()
    quadrants = tuple(q.id for q in load_taxonomy(settings.taxonomy_path).quadrants)
    if relevant not in (None, "yes", "no"):
        raise TagError("tag: --relevant must be yes or no")
    db = _open(settings)
    row = set_tag(
        db, item_id, by=by, now=_now(), quadrant=quadrant, staying=staying,
        relevant=None if relevant is None else relevant == "yes", quadrants=quadrants,
    )  # fmt: skip
    title = db.execute("SELECT title FROM items WHERE id = ?", [item_id]).fetchone()[0]
    console.print(f"Tagged item {item_id} (by {escape(row['tagged_by'])}): {_tag_words(row)}.")
    console.print(f"  {escape(title)}")
    console.print(
        "It counts from the next `radar train` (while tags are few, the newest ones check the"
        " model rather than train it)."
    )


def _tag_words(tag: dict[str, Any]) -> str:
    relevant = {None: "not given", 0: "no", 1: "yes"}[tag["relevant"]]
    return (
        f"quadrant {tag['quadrant'] or 'not given'}, staying {tag['staying'] or 'not given'},"
        f" relevant {relevant}"
    )


@app.command()
def train(
    force: Annotated[bool, typer.Option(help="Promote even if worse.")] = False,
) -> None:
    """Retrain the topic and relevance models from the store and staff tags.

    Example: radar train
    """
    settings = _settings()
    db = _open(settings)
    _link(db, settings)
    _train(db, settings, force)


def _train(db: Any, settings: Settings, force: bool) -> None:
    from radar.classify.registry import current_version
    from radar.classify.retrain import train_and_maybe_promote
    from radar.classify.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(settings.taxonomy_path)
    with err_console.status("Training...") as status:
        result = train_and_maybe_promote(
            db, taxonomy, settings.models_dir, _now(), force=force,
            sentence_model=settings.sentence_model,
            progress=lambda text: status.update(f"Training: {text}"),
        )  # fmt: skip
    verdict = "promoted" if result.promoted else "NOT promoted (below the current model)"
    console.print(f"Model {result.version}: {verdict}; trained with {result.seeds} seed examples")
    basis = result.metrics["basis"]
    console.print(f"held-out ({basis} labels): {json.dumps(result.metrics['overall'])}")
    if basis == "weak":
        console.print(
            "  (fewer than 20 staff tags: held-out labels come from mentioned technologies, "
            "so these figures flatter the model; tag `radar queue` items for honest ones)"
        )
    if result.current_metrics:
        console.print(f"current model, same items: {json.dumps(result.current_metrics['overall'])}")
    if result.changed and not result.promoted:
        other = str(not settings.sentence_model).lower()
        what = {"sentence_model": f"classify.sentence_model = {other}",
                "seed_examples": "other seed examples (seed_examples.yaml)"}  # fmt: skip
        console.print(
            f"  (the current model {current_version(settings.models_dir)} was trained with "
            + " and ".join(what[key] for key in result.changed)
            + "; labels from the rules cannot judge that change. To switch, `radar train --force`)"
        )


@models_app.callback(invoke_without_command=True)
def models(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """List model versions with their held-out metrics.  Example: radar models --json"""
    if ctx.invoked_subcommand:
        return
    from radar.classify.registry import list_versions

    rows = list_versions(_settings().models_dir)
    if as_json:
        _dump(rows)
        return
    if not rows:
        console.print(
            "No trained model yet: items are scored by the weak-label rules. Run `radar train`."
        )
    for row in rows:
        mark = "*" if row["current"] else " "
        console.print(f"{mark} {row['version']}  {json.dumps(row['metrics'].get('overall', {}))}")


@app.command()
def evaluate(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Judge the current model on tagged items it never trained on, beside the weak rules.

    Example: radar evaluate --json
    """
    from radar.classify.retrain import evaluate_current
    from radar.classify.taxonomy import load_taxonomy
    from radar.classify.train import MIN_TAGGED_HELDOUT

    settings = _settings()
    result = evaluate_current(
        _open(settings), load_taxonomy(settings.taxonomy_path), settings.models_dir
    )
    if as_json:
        _dump(result)
        return
    console.print(
        f"Model {result['model']}: {result['heldout']} held-out tagged items "
        f"(of {result['tagged']} tagged)."
    )
    if not result["heldout"]:
        console.print("No held-out tagged items yet: tag this week's `radar queue` first.")
        return
    table = Table("", "quadrant macro-F1", "relevance ROC AUC", "n")
    for label, block in (("model", result.get("metrics")), ("rules", result["rules"])):
        for part in ("overall", "ja", "en"):
            scores = (block or {}).get(part, {})
            table.add_row(
                f"{label} {part}", str(scores.get("quadrant_macro_f1", "-")),
                str(scores.get("relevance_auc", "-")), str(scores.get("n", 0)),
            )  # fmt: skip
    console.print(table)
    if result["heldout"] < MIN_TAGGED_HELDOUT:
        console.print(
            f"Only {result['heldout']} held-out tagged items: these figures can swing widely;"
            f" trust them from about {MIN_TAGGED_HELDOUT}."
        )


@app.command()
def queue(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List about 15 items to tag this week: least certain, disagreements, a random slice.

    Example: radar queue --json
    """
    from radar.classify.review import staff_queue
    from radar.classify.taxonomy import load_taxonomy

    settings = _settings()
    year, week, _ = _now().astimezone(settings.tz).isocalendar()
    rows = staff_queue(
        _open(settings), load_taxonomy(settings.taxonomy_path), seed=year * 100 + week
    )
    if as_json:
        _dump(rows)
        return
    if not rows:
        console.print("Nothing to ask: no recent untagged items.")
        return
    table = Table("id", "why", "quadrant", "conf.")
    table.add_column("title", overflow="fold")  # wrapped, not cut: staff judge from the title
    for row in rows:
        table.add_row(str(row["id"]), row["reason"], row["quadrant"] or "-",
                      f"{row['quadrant_confidence']:.2f}", escape(row["title"]))  # fmt: skip
    console.print(table)
    console.print(
        "Tag with: radar tag ID --quadrant Q --staying fad|standard|unsure --relevant yes|no"
        " --by NAME"
    )


@app.command()
def explain(
    item_id: int, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Show which aliases and terms drove an item's quadrant and relevance.

    Example: radar explain 42
    """
    from radar.classify.review import explain_item
    from radar.classify.taxonomy import load_taxonomy

    settings = _settings()
    result = explain_item(
        _open(settings), load_taxonomy(settings.taxonomy_path), settings.models_dir, item_id
    )
    if as_json:
        _dump(result)
        return
    console.print(f"[bold]{escape(result['title'])}[/]  (scored by {result['model']})")
    console.print("mentions: " + (", ".join(f"{m['tech']} ({m['text']})"
                                            for m in result["mentions"]) or "none"))  # fmt: skip
    terms = ", ".join(f"{t['term']} ({t['quadrant']})" for t in result["topic_terms"])
    console.print(f"topic terms: {terms or 'none'}")
    console.print(f"quadrant: {result.get('quadrant')}  (rules: {result['rule_quadrant'] or '-'};"
                  f" models alone: {result.get('model_quadrant') or '-'};"
                  f" headline meaning: {result.get('meaning_quadrant') or '-'})")  # fmt: skip
    if result.get("quadrant_terms"):
        console.print(
            "word model's terms: " + ", ".join(t["term"] for t in result["quadrant_terms"])
        )
    if "relevance" in result:
        terms = ", ".join(t["term"] for t in result.get("relevance_terms", []))
        console.print(f"municipal relevance: {result['relevance']}  because of: {terms}")
    if tag := result.get("tag"):
        console.print(f"staff tag, stored instead of the guesses above: {_tag_words(tag)}"
                      f" (by {escape(tag['tagged_by'])})")  # fmt: skip


@techs_app.command("candidates")
def techs_candidates(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    weeks: Annotated[int, typer.Option(help="Recent window in weeks.")] = 4,
) -> None:
    """Terms bursting in recent items that the taxonomy does not know yet.

    Example: radar techs candidates --weeks 4
    """
    from radar.classify.review import candidate_techs
    from radar.classify.taxonomy import load_taxonomy

    settings = _settings()
    rows = candidate_techs(_open(settings), load_taxonomy(settings.taxonomy_path), weeks=weeks)
    if as_json:
        _dump(rows)
        return
    if not rows:
        console.print("No bursting unknown terms in the recent window.")
        return
    table = Table("term", "recent items", "before", "lift")
    for row in rows:
        table.add_row(row["term"], str(row["recent"]), str(row["before"]), str(row["lift"]))
    console.print(table)
    console.print('Promote one with: radar techs add "TERM" --quadrant QUADRANT')


@models_app.command("use")
def models_use(version: str) -> None:
    """Promote or roll back to a version.  Example: radar models use 20261126-101500"""
    from radar.classify.registry import use_version

    use_version(_settings().models_dir, version)
    console.print(f"Now using model {version}")


def _build_editions(db: Any, settings: Settings, rebuild: bool = False) -> int:
    from radar.classify.taxonomy import load_taxonomy
    from radar.staying.editions import build_editions, pending_weeks

    weeks = pending_weeks(db, rebuild)
    if not weeks:
        return 0
    with _progress() as bar:
        task = bar.add_task("Building editions", total=len(weeks), current="")
        return build_editions(
            db, load_taxonomy(settings.taxonomy_path), weeks, _now(),
            progress=lambda done, label: bar.update(task, completed=done, current=label),
        )  # fmt: skip


@radar_app.callback(invoke_without_command=True)
def radar_show(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2023-W40.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: Annotated[str, typer.Option(help="ja or en for names and reasons.")] = "ja",
) -> None:
    """Print one weekly edition (default: the newest): ring, score, movement, reasons.

    Example: radar radar --week 2023-W40 --lang en
    """
    if ctx.invoked_subcommand:
        return
    from radar.labels import LANGUAGES, tech_name
    from radar.staying.reasons import render_reason
    from radar.store.editions import edition_weeks, load_edition

    if lang not in LANGUAGES:
        raise ConfigError(f"radar: --lang must be one of {', '.join(LANGUAGES)}")
    settings = _settings()
    db = _open(settings)
    _build_editions(db, settings)
    weeks = edition_weeks(db)
    if not weeks:
        console.print("No editions yet: the store has no items. Run `radar demo` or `radar fetch`.")
        return
    chosen = week or weeks[0]
    if chosen not in weeks:
        raise ConfigError(f"radar: no edition for {chosen}; editions run {weeks[-1]} to {weeks[0]}")
    from radar.classify.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(settings.taxonomy_path)
    blips = load_edition(db, chosen)
    for blip in blips:
        blip.update({f"name_{k}": tech_name(taxonomy, blip["tech_id"], k) for k in LANGUAGES})
    if as_json:
        _dump({"week": chosen, "blips": blips})
        return
    table = Table("ring", "score", "move", "technology", "quadrant", "reasons", title=chosen)
    for blip in blips:
        name = blip[f"name_{lang}"] + (" ✋" if blip["human"] else "")
        reasons = escape("; ".join(render_reason(r, lang) for r in blip["reasons"][:2]))
        table.add_row(blip["ring"], f"{blip['score']:.2f}", blip["movement"], name,
                      blip["quadrant"], reasons)  # fmt: skip
    console.print(table)


@radar_app.command("build")
def radar_build(
    rebuild: Annotated[bool, typer.Option(help="Rebuild every edition from scratch.")] = False,
) -> None:
    """Build the weekly editions not built yet (or all of them).

    Example: radar radar build --rebuild
    """
    settings = _settings()
    built = _build_editions(_open(settings), settings, rebuild)
    console.print(f"Built {built} editions.")


@radar_app.command("export")
def radar_export(
    week: Annotated[str | None, typer.Option(help="ISO week (default: newest).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    lang: Annotated[str, typer.Option(help="ja or en.")] = "en",
) -> None:
    """Print an edition in the Build-Your-Own-Radar CSV/JSON format.

    Example: radar radar export --format csv > radar.csv
    """
    from radar.classify.taxonomy import load_taxonomy
    from radar.staying.byor import dumps, to_byor
    from radar.store.editions import edition_weeks, load_edition

    settings = _settings()
    db = _open(settings)
    weeks = edition_weeks(db)
    if not weeks:
        raise ConfigError("radar: no editions to export yet")
    rows = to_byor(load_edition(db, week or weeks[0]), load_taxonomy(settings.taxonomy_path), lang)
    sys.stdout.write(dumps(rows, fmt) + "\n")


@radar_app.command("import")
def radar_import(
    file: Path,
    by: Annotated[str, typer.Option(help="Who made this radar.")] = "staff",
    week: Annotated[str | None, typer.Option(help="Week the decisions apply from.")] = None,
) -> None:
    """Load a hand-made BYOR radar (CSV or JSON) as staff decisions.

    Example: radar radar import our-radar.csv --by "DX office"
    """
    from radar.classify.mentions import MentionMatcher
    from radar.classify.taxonomy import load_taxonomy
    from radar.staying.byor import loads, match_rows
    from radar.store.editions import add_override

    settings = _settings()
    db = _open(settings)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    matched, unknown = match_rows(
        loads(file.read_text(encoding="utf-8")), taxonomy,
        MentionMatcher.from_taxonomy(taxonomy).find,
    )  # fmt: skip
    applies = week or _current_week(db, settings)
    for tech_id, ring, comment in matched:
        add_override(db, tech_id, ring, comment, by, applies, _now())
    _rebuild_from(db, settings, applies)
    console.print(f"Imported {len(matched)} staff decisions (from {applies}).")
    if unknown:
        console.print(f"Not in the taxonomy (add with `radar techs add`): {', '.join(unknown)}")


@app.command()
def override(
    tech_id: str,
    ring: Annotated[str, typer.Option(help="adopt, trial, assess or hold.")],
    comment: Annotated[str, typer.Option(help="Why (shown on the radar).")],
    by: Annotated[str, typer.Option(help="Who decides.", envvar="USER")] = "staff",
    week: Annotated[str | None, typer.Option(help="Week it applies from.")] = None,
) -> None:
    """Place a technology by hand; the decision wins and is marked as human.

    Example: radar override metaverse --ring hold --comment "No use case for us" --by sato
    """
    from radar.classify.taxonomy import load_taxonomy
    from radar.staying.rings import RINGS
    from radar.store.editions import add_override

    settings = _settings()
    db = _open(settings)
    if tech_id not in load_taxonomy(settings.taxonomy_path):
        raise ConfigError(f"override: unknown technology {tech_id!r} (see `radar techs list`)")
    if ring not in RINGS:
        raise ConfigError(f"override: ring must be one of {', '.join(RINGS)}")
    applies = week or _current_week(db, settings)
    add_override(db, tech_id, ring, comment, by, applies, _now())
    _rebuild_from(db, settings, applies)
    console.print(f"{tech_id}: {ring} from {applies} (decided by {by})")


@app.command("import-archive")
def import_archive_command(file: Path) -> None:
    """Back-fill a dated headline archive (JSONL or CSV, gzip allowed); safe to repeat.

    Columns: date, title, url, source, optional lang, summary, id. Each source becomes an
    archive source (not polled) that counts as an independent source in the radar's evidence.
    Example: radar import-archive headlines-2018.jsonl.gz
    """
    from radar.ingest.archive import count_rows, import_archive

    settings = _settings()
    db = _open(settings)
    if not file.exists():
        raise ConfigError(f"import-archive: {file} does not exist")
    with _progress() as bar:
        task = bar.add_task("Counting rows", total=None, current="")
        total = count_rows(file)
        bar.update(task, description="Importing", total=total)
        result = import_archive(
            db, file, _now(), progress=lambda done: bar.update(task, completed=done)
        )
    console.print(
        f"{result.rows:,} rows: {result.inserted:,} new, {result.duplicates:,} already stored, "
        f"{result.bad:,} unreadable; {len(result.sources)} sources."
    )
    for bad in result.bad_examples:
        console.print(f"  [yellow]line {bad.line}[/]: {bad.reason}")
    _link(db, settings)
    console.print(f"Built {_build_editions(db, settings)} weekly radar editions.")


@app.command()
def backtest(
    at: Annotated[str, typer.Option(help="Date to stand at, e.g. 2018-06-30.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    seeds: Annotated[
        Path | None, typer.Option(help="Folder of dated BYOR CSV radars for seed labels.")
    ] = None,
) -> None:
    """Back-test the staying-power model at a past date against two baselines.

    Example: radar backtest --at 2018-06-30 --json
    """
    from radar.classify.mentions import MentionMatcher
    from radar.classify.taxonomy import load_taxonomy
    from radar.staying.backtest import backtest as run_backtest
    from radar.staying.byor import tech_resolver
    from radar.staying.seeds import load_seeds

    settings = _settings()
    try:
        when = datetime.fromisoformat(at).replace(tzinfo=UTC)
    except ValueError:
        raise ConfigError(f"backtest: --at {at!r} is not a date like 2018-06-30") from None
    seed_labels = None
    if seeds:
        taxonomy = load_taxonomy(settings.taxonomy_path)
        resolve = tech_resolver(taxonomy, MentionMatcher.from_taxonomy(taxonomy).find)
        seed_labels = load_seeds(seeds, resolve)
    with err_console.status("Back-testing..."):
        result = run_backtest(_open(settings), when, seed_labels)
    if as_json:
        _dump({k: v for k, v in result.items() if k != "technologies"})
        return
    console.print(
        f"Back-test at {result['at']} ({result['week']}): {result['n']} technologies, "
        f"{result['positives']} still covered a year later; model: {result['model_kind']} "
        f"({result['model_trained_on']} training samples)"
    )
    table = Table("", "ROC AUC [95% CI]", "avg precision", "Brier", "precision@10")
    for name, block in (("model", result["model"]), *result["baselines"].items()):
        table.add_row(
            name, f"{block['auc']:.3f} {block['auc_ci']}", f"{block['ap']:.3f}",
            f"{block['brier']:.3f}", f"{block['p_at_10']:.2f}",
        )  # fmt: skip
    console.print(table)


@app.command()
def digest(
    week: Annotated[str | None, typer.Option(help="ISO week (default: newest edition).")] = None,
    preview: Annotated[Path | None, typer.Option(help="Write the HTML here.")] = None,
    send: Annotated[
        bool, typer.Option("--send", help="Send to the configured recipients.")
    ] = False,
    to: Annotated[str | None, typer.Option(help="Send to this address only.")] = None,
    lang: Annotated[str, typer.Option(help="Language for --preview and --to: ja or en.")] = "ja",
) -> None:
    """Preview or send the weekly email digest; each (week, recipient) is sent once.

    Example: radar digest --preview digest.html ; radar digest --send
    """
    from radar.classify.taxonomy import load_taxonomy
    from radar.digest.compose import compose
    from radar.digest.gather import gather
    from radar.digest.run import send_week

    settings = _settings()
    db = _open(settings)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    chosen = week or _current_week(db, settings)
    if preview:
        composed = compose(
            gather(db, taxonomy, chosen, settings.base_url, settings.models_dir), lang
        )
        preview.write_text(composed.html, encoding="utf-8")
        console.print(f"Wrote {preview} ({composed.subject})")
    if not (send or to):
        if not preview:
            console.print("Nothing to do: add --preview FILE, --send or --to ADDR.")
        return
    outcomes = send_week(db, settings, taxonomy, chosen, _now(), to=to, lang=lang)
    for outcome in outcomes:
        colour = {"sent": "green", "skipped": "yellow", "failed": "red"}[outcome.status]
        detail = f" ({outcome.error})" if outcome.error else ""
        console.print(f"[{colour}]{outcome.status}[/] {outcome.recipient}{detail}")
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


def _current_week(db: Any, settings: Settings) -> str:
    from radar.store.editions import edition_weeks

    _build_editions(db, settings)
    weeks = edition_weeks(db)
    if not weeks:
        raise ConfigError("radar: no editions yet; ingest items first")
    return weeks[0]


def _rebuild_from(db: Any, settings: Settings, week: str) -> None:
    from radar.classify.taxonomy import load_taxonomy
    from radar.staying.editions import build_editions, pending_weeks
    from radar.store.weekly import parse_week_label

    start = parse_week_label(week)
    weeks = [w for w in pending_weeks(db, rebuild=True) if w >= start]
    build_editions(db, load_taxonomy(settings.taxonomy_path), weeks, _now())


def main() -> None:
    """Entry point: run the CLI, turning RadarError into a message and an exit code."""
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except ConfigError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        sys.exit(2)
    except RadarError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # click usage errors arrive here in standalone_mode=False
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
