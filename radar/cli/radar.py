"""The weekly radar: editions, staff decisions, BYOR export and import, back-test, digest."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from radar.classify.mentions import MentionMatcher
from radar.cli.shell import (
    JSON_OPTION,
    clean,
    console,
    emit,
    err_console,
    now,
    open_store,
    parse_date,
    progress_bars,
    readable_file,
    settings,
)
from radar.errors import ConfigError
from radar.labels import LANGUAGES, movement_name, quadrant_name, tech_name
from radar.staying.kind_labels import reason_line, shown_ring
from radar.store.editions import edition_weeks, load_edition
from radar.taxonomy.layers import taxonomy_for

app = typer.Typer()
radar_app = typer.Typer(help="Weekly radar editions: show, build, export and import (BYOR).")


def _lang(value: str) -> str:
    value = value.lower()
    if value not in LANGUAGES:
        raise ConfigError(f"radar: --lang must be one of {', '.join(LANGUAGES)}")
    return value


LANG_OPTION = typer.Option(help="ja or en for names and reasons.", callback=_lang)
BY_OPTION = typer.Option(help="Who decides.", envvar="USER")


@radar_app.callback(invoke_without_command=True)
def radar_show(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2023-W40.")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
    lang: Annotated[str, LANG_OPTION] = "ja",
) -> None:
    """Print one weekly edition (default: the newest): ring, score, movement, reasons.

    Example: radar radar --week 2023-W40 --lang en
    """
    if ctx.invoked_subcommand:
        return
    from radar import workflows

    current = settings()
    db = open_store(current)
    with progress_bars() as progress:
        workflows.build_editions(db, current, now(), progress=progress)
    weeks = edition_weeks(db)
    if not weeks:
        console.print("No editions yet: the store has no items. Run `radar demo` or `radar fetch`.")
        return
    chosen = week or weeks[0]
    if chosen not in weeks:
        raise ConfigError(f"radar: no edition for {chosen}; editions run {weeks[-1]} to {weeks[0]}")
    taxonomy = taxonomy_for(current)
    blips = load_edition(db, chosen)
    for blip in blips:
        blip.update({f"name_{k}": tech_name(taxonomy, blip["tech_id"], k) for k in LANGUAGES})
        blip["reasons_text"] = [reason_line(r, lang) for r in blip["reasons"]]
    emit(
        {"week": chosen, "blips": blips} if as_json else blips, as_json,
        ("ring", "score", "move", "technology", "quadrant", "reasons"),
        lambda b: (shown_ring(b, lang), f"{b['score']:.2f}", movement_name(b["movement"], lang),
                   b[f"name_{lang}"] + (" ✋" if b["human"] else ""),
                   quadrant_name(taxonomy, b["quadrant"], lang), "; ".join(b["reasons_text"][:2])),
        title=chosen,
    )  # fmt: skip


@radar_app.command("build")
def radar_build(
    rebuild: Annotated[bool, typer.Option(help="Rebuild every edition from scratch.")] = False,
) -> None:
    """Build the weekly editions not built yet (or all of them).

    Example: radar radar build --rebuild
    """
    from radar import workflows

    current = settings()
    with progress_bars() as progress:
        built = workflows.build_editions(
            open_store(current), current, now(), everything=rebuild, progress=progress
        )
    console.print(f"Built {built} editions.")


@radar_app.command("export")
def radar_export(
    week: Annotated[str | None, typer.Option(help="ISO week (default: newest).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    lang: Annotated[str, LANG_OPTION] = "en",
) -> None:
    """Print an edition in the Build-Your-Own-Radar CSV/JSON format.

    Example: radar radar export --format csv > radar.csv
    """
    from radar.staying.byor import dumps, to_byor

    current = settings()
    db = open_store(current)
    weeks = edition_weeks(db)
    if not weeks:
        raise ConfigError("radar: no editions to export yet")
    rows = to_byor(load_edition(db, week or weeks[0]), taxonomy_for(current), lang)
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
    from radar import workflows
    from radar.staying.byor import loads, match_rows

    current = settings()
    taxonomy = taxonomy_for(current)
    text = readable_file("radar import", file).read_text(encoding="utf-8", errors="replace")
    matched, unknown = match_rows(
        loads(text), taxonomy, MentionMatcher.from_taxonomy(taxonomy).find
    )
    with progress_bars() as progress:
        applies = workflows.record_overrides(
            open_store(current), current, matched, by, week, now(), progress
        )
    console.print(f"Imported {len(matched)} staff decisions (from {clean(applies)}).")
    if unknown:
        console.print(
            f"Not in the taxonomy (add with `radar techs add`): {clean(', '.join(unknown))}"
        )


@app.command()
def override(
    tech_id: str,
    ring: Annotated[str, typer.Option(help="adopt, trial, assess or hold.")],
    comment: Annotated[str, typer.Option(help="Why (shown on the radar).")],
    by: Annotated[str, BY_OPTION] = "staff",
    week: Annotated[str | None, typer.Option(help="Week it applies from.")] = None,
) -> None:
    """Place a technology by hand; the decision wins and is marked as human.

    Example: radar override metaverse --ring hold --comment "No use case for us" --by sato
    """
    from radar import workflows

    current = settings()
    with progress_bars() as progress:
        applies = workflows.record_overrides(
            open_store(current), current, [(tech_id, ring, comment)], by, week, now(), progress
        )
    console.print(f"{clean(tech_id)}: {clean(ring)} from {applies} (decided by {clean(by)})")


@app.command()
def backtest(
    at: Annotated[str, typer.Option(help="Date to stand at, e.g. 2018-06-30.")],
    as_json: Annotated[bool, JSON_OPTION] = False,
    seeds: Annotated[
        Path | None, typer.Option(help="Folder of dated BYOR CSV radars for seed labels.")
    ] = None,
) -> None:
    """Back-test the staying-power model at a past date against two baselines.

    Example: radar backtest --at 2018-06-30 --json
    """
    from radar.staying.backtest import backtest as run_backtest
    from radar.staying.byor import tech_resolver
    from radar.staying.seeds import load_seeds

    current = settings()
    when = parse_date("backtest: --at", at)
    assert when is not None
    seed_labels = None
    taxonomy = taxonomy_for(current)
    if seeds:
        seed_labels = load_seeds(
            seeds, tech_resolver(taxonomy, MentionMatcher.from_taxonomy(taxonomy).find)
        )
    with err_console.status("Back-testing..."):
        result = run_backtest(open_store(current), when, seed_labels, taxonomy)
    if as_json:
        emit({k: v for k, v in result.items() if k != "technologies"}, True, (), lambda r: ())
        return
    console.print(
        f"Back-test at {result['at']} ({result['week']}): {result['n']} technologies, "
        f"{result['positives']} still a standard a year later; model: {result['model_kind']} "
        f"({result['model_trained_on']} training samples); truth from "
        + ", ".join(f"{k} {v}" for k, v in result["truth_basis"].items())
        + f"; {result['with_series']} with adoption series"
    )
    emit(
        [("model", result["model"]), ("model without series", result["model_without_series"]),
         *result["baselines"].items()], False,
        ("", "ROC AUC [95% CI]", "avg precision", "Brier", "precision@10"),
        lambda r: (r[0], f"{r[1]['auc']:.3f} {r[1]['auc_ci']}", f"{r[1]['ap']:.3f}",
                   f"{r[1]['brier']:.3f}", f"{r[1]['p_at_10']:.2f}"),
    )  # fmt: skip
    console.print(_versus_line(result["model"]), markup=False, highlight=False)


def _versus_line(model: dict) -> str:
    """The model against persistence, all and contested, in one readable paragraph."""
    diff = model["auc_minus_persistence"]
    calib = model["calibration"]
    text = (
        f"model AUC minus persistence: {diff['difference']:+.3f} {diff['ci']}; "
        f"calibration: Brier {calib['brier']:.3f}, ECE {calib['ece']:.3f}\n"
    )
    sub = model["contested"]
    if "auc" not in sub:
        return text + f"contested ({sub['n']} with 10+ items in the 26 weeks): {sub['note']}"
    sub_diff = sub["auc_minus_persistence"]
    return text + (
        f"contested ({sub['n']} with 10+ items in the 26 weeks, {sub['positives']} lasted): "
        f"AUC {sub['auc']:.3f} vs persistence {sub['persistence_auc']:.3f}, "
        f"difference {sub_diff['difference']:+.3f} {sub_diff['ci']}"
    )


@app.command()
def digest(
    week: Annotated[str | None, typer.Option(help="ISO week (default: newest edition).")] = None,
    preview: Annotated[Path | None, typer.Option(help="Write the HTML here.")] = None,
    send: Annotated[
        bool, typer.Option("--send", help="Send to the configured recipients.")
    ] = False,
    to: Annotated[str | None, typer.Option(help="Send to this address only.")] = None,
    lang: Annotated[
        str, typer.Option(help="Language for --preview and --to: ja or en.", callback=_lang)
    ] = "ja",
) -> None:
    """Preview or send the weekly email digest; each (week, recipient) is sent once.

    Example: radar digest --preview digest.html ; radar digest --send
    """
    from radar import workflows
    from radar.digest.compose import compose
    from radar.digest.gather import gather
    from radar.digest.run import send_week

    current = settings()
    db = open_store(current)
    taxonomy = taxonomy_for(current)
    if not (preview or send or to):
        console.print("Nothing to do: add --preview FILE, --send or --to ADDR.")
        return
    with progress_bars() as progress:
        workflows.build_editions(db, current, now(), progress=progress)
    chosen = week or workflows.newest_week(db)
    if preview:
        composed = compose(gather(db, taxonomy, chosen, current.base_url, current.models_dir), lang)
        preview.write_text(composed.html, encoding="utf-8")
        console.print(f"Wrote {clean(preview)} ({clean(composed.subject)})")
    if not (send or to):
        return
    outcomes = send_week(db, current, taxonomy, chosen, now(), to=to, lang=lang)
    colours = {"sent": "green", "skipped": "yellow", "failed": "red"}
    for outcome in outcomes:
        detail = f" ({outcome.error})" if outcome.error else ""
        console.print(
            f"[{colours[outcome.status]}]{outcome.status}[/] {clean(outcome.recipient + detail)}"
        )
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)
