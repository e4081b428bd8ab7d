"""Teaching and checking the classifier: technologies, tags, training, models, explanations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from radar.classify.candidates import MIN_LIFT
from radar.classify.compare import Comparison
from radar.cli.shell import (
    JSON_OPTION,
    clean,
    console,
    emit,
    now,
    open_store,
    progress_bars,
    settings,
    spinner,
)
from radar.errors import ConfigError
from radar.slug import slugify
from radar.taxonomy.edit import write_staff_file
from radar.taxonomy.layers import layers_for, staff_tech_ids, taxonomy_for
from radar.taxonomy.model import Tech

app = typer.Typer()
techs_app = typer.Typer(
    help="The technology taxonomy: shipped taxonomy.yaml, staff edits in staff/ beside the store."
)
models_app = typer.Typer(help="Trained model versions: list, and roll back with `use`.")


@techs_app.command("list")
def techs_list(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """List technologies with their quadrant and how many items mention them.

    Example: radar techs list --json
    """
    from radar.store.mentions import mention_counts

    current = settings()
    counts = {row["tech_id"]: row["items"] for row in mention_counts(open_store(current))}
    staff = staff_tech_ids(layers_for(current))
    rows = [
        {"id": t.id, "name_en": t.name_en, "name_ja": t.name_ja, "quadrant": t.quadrant,
         "aliases": list(t.aliases), "municipal": t.municipal, "items": counts.get(t.id, 0),
         "source": "staff" if t.id in staff else "shipped"}
        for t in taxonomy_for(current).techs
    ]  # fmt: skip
    emit(
        rows, as_json, ("id", "名前 / name", "quadrant", "items", "source", "aliases"),
        lambda r: (r["id"], f"{r['name_ja']} / {r['name_en']}", r["quadrant"], r["items"],
                   r["source"], ", ".join(r["aliases"])[:60]),
    )  # fmt: skip


@techs_app.command("add")
def techs_add(
    name: str,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Another spelling.")] = None,
    quadrant: Annotated[str, typer.Option(help="Quadrant id.")] = "ai-data",
    name_ja: Annotated[str | None, typer.Option("--ja", help="Japanese name.")] = None,
    rebuild_history: Annotated[
        bool, typer.Option("--rebuild-history", help="Also rebuild every past edition.")
    ] = False,
) -> None:
    """Add a technology to the staff taxonomy beside the store, re-link items, rebuild the radar.

    The newest edition is rebuilt at once; past ones only with --rebuild-history.

    Example: radar techs add "Model Context Protocol" --alias MCP --quadrant ai-data
    """
    from radar import workflows

    aliases = tuple(dict.fromkeys([name, *(alias or [])]))
    tech = Tech(id=slugify(name), name_en=name, name_ja=name_ja or name, quadrant=quadrant,
                aliases=aliases)  # fmt: skip
    current = settings()
    db = open_store(current)
    with progress_bars() as progress:
        path, built = workflows.add_technology(
            db, current, tech, now(), history=rebuild_history, progress=progress
        )
    count = db.execute("SELECT count(*) FROM mentions WHERE tech_id = ?", [tech.id]).fetchone()[0]
    console.print(
        f"Added [bold]{clean(tech.id)}[/] to {clean(path)}; {count} items mention it; "
        f"{built} edition{'s' * (built != 1)} rebuilt"
        f"{' (every edition)' if rebuild_history else ''}."
    )


@techs_app.command("export")
def techs_export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the three files into.")],
    force: Annotated[bool, typer.Option("--force", help="Replace files already there.")] = False,
) -> None:
    """Write the merged taxonomy (shipped + staff edits): taxonomy, topic terms, seed examples.

    The folder works as `classify.taxonomy: FOLDER/taxonomy.yaml` elsewhere. The staff edits
    alone are the `staff/` folder beside the store.

    Example: radar techs export exported/
    """
    from radar.taxonomy.export import export_files
    from radar.taxonomy.sidefiles import seeds_for

    taxonomy = taxonomy_for(settings())
    files = export_files(taxonomy, seeds_for(taxonomy))
    existing = [name for name in files if (folder / name).exists()]
    if existing and not force:
        raise ConfigError(
            f"techs export: {folder} already holds {', '.join(existing)} (--force replaces them)"
        )
    for name, text in files.items():
        write_staff_file(folder / name, text)
    console.print(
        f"Wrote {len(taxonomy.techs)} technologies, topic terms and seed examples to "
        f"{clean(folder)}."
    )


@techs_app.command("verdict")
def techs_verdict(
    tech_id: str,
    verdict: Annotated[str, typer.Argument(help="standard or fad.")],
    by: Annotated[str, typer.Option(help="Who decides.", envvar="USER")] = "staff",
) -> None:
    """Say a whole technology will be a standard, or is a fad: a label for the staying model.

    Example: radar techs verdict kubernetes standard --by sato
    """
    from radar.store.labels import set_tech_verdict

    current = settings()
    if tech_id not in taxonomy_for(current):
        raise ConfigError(f"techs: no technology {tech_id!r} (see `radar techs list`)")
    set_tech_verdict(open_store(current), tech_id, verdict, by, now())
    console.print(
        f"{clean(tech_id)}: {clean(verdict)} (by {clean(by)}); it counts from the next edition"
        " build."
    )


@techs_app.command("candidates")
def techs_candidates(
    as_json: Annotated[bool, JSON_OPTION] = False,
    weeks: Annotated[int, typer.Option(min=1, help="Recent window in weeks.")] = 4,
) -> None:
    """Terms bursting in recent items that the taxonomy does not know yet.

    Example: radar techs candidates --weeks 4
    """
    from radar.classify.review import candidate_techs, candidate_window

    current = settings()
    store = open_store(current)
    rows = candidate_techs(store, taxonomy_for(current), weeks=weeks)
    emit(
        rows, as_json, ("term", "recent items", "before", "lift"),
        lambda r: (r["term"], r["recent"], r["before"], r["lift"]),
        empty=_no_candidates(candidate_window(store, weeks), weeks),
    )  # fmt: skip
    if rows and not as_json:
        console.print('Promote one with: radar techs add "TERM" --quadrant QUADRANT')


def _no_candidates(window: Any, weeks: int) -> str:
    """Say which weeks were searched (they end at the newest item) and what to try next."""
    if window is None:
        return "The store has no items yet: run `radar demo` or `radar fetch --all` first."
    return (
        f"No unknown term was {MIN_LIFT:g} times as frequent in the {weeks} weeks to"
        f" {window.newest.date()} (the newest item; {window.recent} items) as in the weeks"
        f" from {window.start.date()} to {window.cut.date()} ({window.before} items)."
        f" Try a longer window (--weeks {weeks * 2}), or fetch newer items (`radar fetch`)."
    )


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
    from radar.store.labels import TagError, set_tag

    current = settings()
    quadrants = tuple(q.id for q in taxonomy_for(current).quadrants)
    if quadrant is None and staying is None and relevant is None:
        raise TagError("tag: say what to tag: --quadrant, --staying and/or --relevant")
    if relevant not in (None, "yes", "no"):
        raise TagError("tag: --relevant must be yes or no")
    db = open_store(current)
    row = set_tag(
        db, item_id, by=by, now=now(), quadrant=quadrant, staying=staying,
        relevant=None if relevant is None else relevant == "yes", quadrants=quadrants,
    )  # fmt: skip
    title = db.execute("SELECT title FROM items WHERE id = ?", [item_id]).fetchone()[0]
    console.print(f"Tagged item {item_id} (by {clean(row['tagged_by'])}): {tag_words(row)}.")
    console.print(f"  {clean(title)}")
    console.print(
        "It counts from the next `radar train` (while tags are few, the newest ones check the"
        " model rather than train it)."
    )


def tag_words(tag: dict[str, Any]) -> str:
    """A staff tag in words, as `tag` and `explain` print it."""
    relevant = {None: "not given", 0: "no", 1: "yes"}[tag["relevant"]]
    return clean(
        f"quadrant {tag['quadrant'] or 'not given'}, staying {tag['staying'] or 'not given'},"
        f" relevant {relevant}"
    )


@app.command()
def train(force: Annotated[bool, typer.Option(help="Promote even if worse.")] = False) -> None:
    """Retrain the topic and relevance models from the store and staff tags.

    Example: radar train
    """
    from radar import workflows
    from radar.classify.versions import current_version

    current = settings()
    before = current_version(current.models_dir)
    with spinner("Training...") as progress:
        result = workflows.retrain(open_store(current), current, now(), force=force,
                                   progress=progress)  # fmt: skip
    forced = result.promoted and result.comparison is not None and result.comparison.worse
    verdict = "promoted (forced)" if forced else "promoted" if result.promoted else "NOT promoted"
    console.print(f"Model {result.version}: {verdict}; trained with {result.seeds} seed examples")
    basis = result.metrics["basis"]
    console.print(f"held-out ({basis} labels): {_figures(result.metrics['overall'])}")
    if result.current_metrics:
        console.print(f"current model, same items: {_figures(result.current_metrics['overall'])}")
    if result.comparison is not None:
        console.print(_comparison(result.comparison))
    elif basis == "weak":
        console.print(
            "  (fewer than 20 staff tags: held-out labels come from mentioned technologies, "
            "so these figures flatter the model; tag `radar queue` items for honest ones)"
        )
    if result.changed and not result.promoted:
        other = str(not current.sentence_model).lower()
        what = {"sentence_model": f"classify.sentence_model = {other}",
                "seed_examples": "other seed examples (seed_examples.yaml)",
                "relevance_encoder": "another classify.relevance_encoder"}  # fmt: skip
        console.print(
            f"  (the current model {before} was trained with "
            + " and ".join(what[key] for key in result.changed)
            + "; labels from the rules cannot judge that change. To switch, `radar train --force`)"
        )


def _comparison(comparison: Comparison) -> str:
    """The comparison in words: the rule and its tolerance live in radar.classify.compare."""
    tolerance = comparison.tolerance
    deltas = ", ".join(f"{key} {delta:+.4f}" for key, delta in comparison.deltas.items())
    said = {
        "better": f"better than the current model (by more than {tolerance})",
        "same": f"no measurable difference from the current model (within {tolerance});"
        " the new version has read the newest items and tags, so it is used",
        "worse": f"worse than the current model by more than {tolerance}",
        "cannot_tell": "this comparison cannot tell which model is better: fewer than 20 staff"
        " tags, so the held-out labels are the rules' own output, which both models copy"
        " (tag `radar queue` items to compare on staff judgement)"
        + (f"; the new one is not used, being more than {tolerance} below" if comparison.worse
           else ""),
    }[comparison.verdict]  # fmt: skip
    return f"  {said} ({deltas or 'nothing to compare'})"


def _figures(scores: dict[str, Any]) -> str:
    """Held-out figures as one readable line (JSON would wrap mid-token in a terminal)."""
    return clean(", ".join(f"{key} {value}" for key, value in scores.items()) or "none")


@models_app.callback(invoke_without_command=True)
def models(ctx: typer.Context, as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """List model versions with their held-out metrics.  Example: radar models --json"""
    if ctx.invoked_subcommand:
        return
    from radar.classify.versions import list_versions

    rows = list_versions(settings().models_dir)
    emit(
        rows, as_json, ("", "version", "held-out figures"),
        lambda r: ("*" if r["current"] else "", r["version"],
                   f"cannot be used: {r['unreadable']}" if r.get("unreadable")
                   else _figures(r["metrics"].get("overall", {}))),
        empty="No trained model yet: items are scored by the weak-label rules. Run `radar train`.",
    )  # fmt: skip


@models_app.command("use")
def models_use(version: str) -> None:
    """Promote or roll back to a version; every item is re-scored, the newest edition rebuilt.

    Example: radar models use 20261126-101500
    """
    from radar import workflows

    current = settings()
    with progress_bars() as progress:
        workflows.switch_model(open_store(current), current, version, now(), progress)
    console.print(f"Now using model {clean(version)}")


@app.command()
def evaluate(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Judge the current model on tagged items it never trained on, beside the weak rules.

    Example: radar evaluate --json
    """
    from radar.classify.retrain import evaluate_current
    from radar.classify.train import MIN_TAGGED_HELDOUT

    current = settings()
    result = evaluate_current(open_store(current), taxonomy_for(current), current.models_dir)
    if as_json:
        emit(result, True, (), lambda r: ())
        return
    console.print(
        f"Model {clean(result['model'])}: {result['heldout']} held-out tagged items "
        f"(of {result['tagged']} tagged)."
    )
    if not result["heldout"]:
        console.print("No held-out tagged items yet: tag this week's `radar queue` first.")
        return
    rows = [
        (f"{label} {part}", (block or {}).get(part, {}))
        for label, block in (("model", result.get("metrics")), ("rules", result["rules"]))
        for part in ("overall", "ja", "en")
    ]
    emit(
        rows, False, ("", "quadrant macro-F1", "relevance ROC AUC", "n"),
        lambda r: (r[0], r[1].get("quadrant_macro_f1", "-"), r[1].get("relevance_auc", "-"),
                   r[1].get("n", 0)),
    )  # fmt: skip
    if result["heldout"] < MIN_TAGGED_HELDOUT:
        console.print(
            f"Only {result['heldout']} held-out tagged items: these figures can swing widely;"
            f" trust them from about {MIN_TAGGED_HELDOUT}."
        )


@app.command()
def queue(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """List about 15 items to tag this week: least certain, disagreements, a random slice.

    Example: radar queue --json
    """
    from rich.table import Table

    from radar.classify.review import staff_queue, week_seed
    from radar.store.weekly import week_label, week_of

    current = settings()
    rows = staff_queue(
        open_store(current), taxonomy_for(current),
        seed=week_seed(week_label(week_of(now()))),
    )  # fmt: skip
    if as_json or not rows:
        emit(rows, as_json, (), lambda r: (), empty="Nothing to ask: no recent untagged items.")
        return
    table = Table("id", "why", "quadrant", "conf.")
    table.add_column("title", overflow="fold")  # wrapped, not cut: staff judge from the title
    for row in rows:
        table.add_row(str(row["id"]), clean(row["reason"]), clean(row["quadrant"] or "-"),
                      f"{row['quadrant_confidence']:.2f}", clean(row["title"]))  # fmt: skip
    console.print(table)
    console.print(
        "Tag with: radar tag ID --quadrant Q --staying fad|standard|unsure --relevant yes|no"
        " --by NAME"
    )


@app.command()
def explain(item_id: int, as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Show which aliases and terms drove an item's quadrant and relevance.

    Example: radar explain 42
    """
    from radar.classify.review import explain_item

    current = settings()
    result = explain_item(open_store(current), taxonomy_for(current), current.models_dir, item_id)
    if as_json:
        emit(result, True, (), lambda r: ())
        return
    say = console.print
    say(f"[bold]{clean(result['title'])}[/]  (scored by {clean(result['model'])})")
    mentions = ", ".join(f"{m['tech']} ({m['text']})" for m in result["mentions"])
    say(f"mentions: {clean(mentions or 'none')}")
    terms = ", ".join(f"{t['term']} ({t['quadrant']})" for t in result["topic_terms"])
    say(f"topic terms: {clean(terms or 'none')}")
    say(clean(
        f"quadrant: {result.get('quadrant')}  (rules: {result['rule_quadrant'] or '-'};"
        f" models alone: {result.get('model_quadrant') or '-'};"
        f" headline meaning: {result.get('meaning_quadrant') or '-'})"
    ))  # fmt: skip
    if result.get("quadrant_terms"):
        say("word model's terms: " + clean(", ".join(t["term"] for t in result["quadrant_terms"])))
    if "relevance" in result:
        terms = ", ".join(t["term"] for t in result.get("relevance_terms", []))
        say(f"municipal relevance: {result['relevance']}  because of: {clean(terms)}")
    if tag := result.get("tag"):
        say(f"staff tag, stored instead of the guesses above: {tag_words(tag)}"
            f" (by {clean(tag['tagged_by'])})")  # fmt: skip
