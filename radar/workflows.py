"""The flows every shell runs the same way: poll, link and score, train, switch model, editions.

The CLI, the scheduler and the app's background threads call these and nothing below them,
so a rule about what follows what (a promotion re-scores every item, then the newest edition
is rebuilt) lives once and the three shells behave the same. Each flow takes an open store
and reports through a :data:`Progress` callback; none prints, logs or reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from radar.classify.changes import FIRST, STAFF, SWITCH, record_change
from radar.classify.learning import due_in_store
from radar.classify.linking import link_store
from radar.classify.versions import current_version
from radar.config import Settings
from radar.errors import ConfigError
from radar.ingest.pipeline import RunSummary, run_fetch
from radar.staying.rings import RINGS
from radar.store.editions import add_override, edition_weeks
from radar.store.feeds import due_feeds
from radar.store.weekly import parse_week_label
from radar.taxonomy.edit import add_staff_tech
from radar.taxonomy.layers import layers_for, taxonomy_for
from radar.taxonomy.model import Tech

if TYPE_CHECKING:
    from radar.classify.retrain import TrainResult

# Scoring, training and editions import scikit-learn (about 2 s), so the flows that need them
# import them when they run: a poll that brings nothing new never loads them.
# progress(stage, done, total, label): stage is "fetch", "link", "score", "train" or
# "editions"; total is None while unknown; label names the current feed, week or step.
Progress = Callable[[str, int, int | None, str], None]


def _quiet(stage: str, done: int, total: int | None, label: str) -> None:
    """The default progress: say nothing."""


def poll(
    db: sqlite_utils.Database, settings: Settings, clock: Callable[[], datetime], *,
    everything: bool = False, only: frozenset[str] | None = None,
    skip_origin: str | None = None, progress: Progress = _quiet, score: bool = True,
) -> RunSummary:  # fmt: skip
    """Fetch the due feeds (or all), then link and score what arrived (:func:`learn_and_score`).

    Most polls bring nothing new (every feed answers 304): those load no taxonomy and no
    model. ``score=False`` returns as soon as the items are stored: the scheduler scores them
    on a thread of its own, so a poll never waits for embeddings or training.
    """
    total = len(due_feeds(db, clock(), everything, only, skip_origin))
    done = 0

    def advance(feed_id: str, outcome: str) -> None:
        nonlocal done
        done += 1
        progress("fetch", done, total, feed_id)

    summary = run_fetch(
        db, settings, clock, everything=everything, only=only, skip_origin=skip_origin,
        progress=advance,
    )  # fmt: skip
    if score and summary.new_items:
        learn_and_score(db, settings, clock(), progress)
    return summary


def learn_and_score(
    db: sqlite_utils.Database, settings: Settings, now: datetime, progress: Progress = _quiet
) -> TrainResult | None:
    """Score what arrived; first train when the store has no model or staff tagged enough.

    The rule is :func:`radar.classify.learning.training_due`; a training links and scores
    every item itself (promoted or not), so nothing is scored twice.
    """
    reason = due_in_store(db, settings.models_dir, settings.retrain_after_tags)
    if reason is None:
        link_and_score(db, settings, now, progress)
        return None
    return retrain(db, settings, now, reason=reason, progress=progress)


def link_and_score(
    db: sqlite_utils.Database, settings: Settings, now: datetime, progress: Progress = _quiet
) -> str:
    """Tie new items (all, after a taxonomy change) to technologies, then score the unscored.

    Every way items arrive (a poll, the demo, an archive import, a new technology) ends
    here; returns the name of the model that scored them.
    """
    from radar.classify.retrain import score_store

    taxonomy = taxonomy_for(settings)
    link_store(db, taxonomy, progress=lambda done, total: progress("link", done, total, ""))
    return score_store(
        db, taxonomy, settings.models_dir, now,
        progress=lambda done, total: progress("score", done, total, ""),
    )  # fmt: skip


def build_editions(
    db: sqlite_utils.Database, settings: Settings, now: datetime, *,
    since: str | None = None, everything: bool = False, progress: Progress = _quiet,
) -> int:  # fmt: skip
    """Build the editions not built yet, and rebuild every edition from week ``since`` on.

    ``everything`` rebuilds all of them. A staff decision or a new model changes the
    editions from its week on; the earlier ones stay as they were published.
    """
    from radar.staying import editions

    weeks = set(editions.pending_weeks(db, rebuild=everything))
    if since is not None:
        first = parse_week_label(since)
        weeks |= {w for w in editions.pending_weeks(db, rebuild=True) if w >= first}
    total = len(weeks)
    return editions.build_editions(
        db, taxonomy_for(settings), sorted(weeks), now,
        progress=lambda done, label: progress("editions", done, total, label),
    )  # fmt: skip


def newest_week(db: sqlite_utils.Database) -> str:
    """The newest built edition's week; an error saying what to run when there is none."""
    weeks = edition_weeks(db)
    if not weeks:
        raise ConfigError(
            "radar: no editions yet; ingest items first (`radar fetch --all`, or `radar demo`)"
        )
    return weeks[0]


def retrain(
    db: sqlite_utils.Database, settings: Settings, now: datetime, *, force: bool = False,
    reason: str = STAFF, progress: Progress = _quiet,
) -> TrainResult:  # fmt: skip
    """Train a version and promote it if not worse; a promotion re-scores and rebuilds.

    Items are linked first, so technologies added since the last fetch count. ``reason``
    (:mod:`radar.classify.changes`) is logged for the Models page and the digest.
    """
    from radar.classify.retrain import train_and_maybe_promote

    link_and_score(db, settings, now, progress)
    result = train_and_maybe_promote(
        db, taxonomy_for(settings), settings.models_dir, now, force=force,
        sentence_model=settings.sentence_model, relevance_encoder=settings.relevance_encoder,
        reason=reason,
        progress=lambda text: progress("train", 0, None, text),
    )  # fmt: skip
    if result.promoted:
        _rebuild_newest(db, settings, now, progress)
    return result


def first_model(
    db: sqlite_utils.Database, settings: Settings, now: datetime, progress: Progress = _quiet,
    *, bulk: bool = False,
) -> TrainResult | None:  # fmt: skip
    """Train a first version when there is none (a new store); else only link and score.

    ``bulk``: the store was filled at once (the offline demo's 5,000 items), so the first
    version reads relevance from USE alone (``classify.relevance_encoder: use``): e5's first
    embedding of every title took 4 of the demo's 5 minutes. Later trainings (weekly, after
    tags) follow the setting, for the few hundred live items a day e5 is meant for.
    """
    if current_version(settings.models_dir) is None:
        fast = replace(settings, relevance_encoder="use") if bulk else settings
        return retrain(db, fast, now, reason=FIRST, progress=progress)
    link_and_score(db, settings, now, progress)
    return None


def switch_model(
    db: sqlite_utils.Database, settings: Settings, version: str, now: datetime,
    progress: Progress = _quiet,
) -> None:  # fmt: skip
    """Promote or roll back to ``version``: every item is re-scored, the newest edition rebuilt."""
    from radar.classify.registry import use_version

    use_version(settings.models_dir, version)
    record_change(settings.models_dir, version, SWITCH, True, now)
    link_and_score(db, settings, now, progress)
    _rebuild_newest(db, settings, now, progress)


def record_overrides(
    db: sqlite_utils.Database, settings: Settings, decisions: list[tuple[str, str, str]],
    by: str, week: str | None, now: datetime, progress: Progress = _quiet,
) -> str:  # fmt: skip
    """Record staff placements ``(tech_id, ring, comment)`` from ``week`` and rebuild from it.

    ``week`` defaults to the newest edition. Every decision is checked before any is
    stored, so a bad row in a hand-made radar records nothing.
    """
    taxonomy = taxonomy_for(settings)
    for tech_id, ring, comment in decisions:
        if tech_id not in taxonomy:
            raise ConfigError(f"override: unknown technology {tech_id!r} (see `radar techs list`)")
        if ring not in RINGS:
            raise ConfigError(f"override: ring must be one of {', '.join(RINGS)}, not {ring!r}")
        if not comment.strip():
            raise ConfigError(f"override: {tech_id}: say why (a comment is shown on the radar)")
    build_editions(db, settings, now, progress=progress)
    applies = week or newest_week(db)
    try:
        parse_week_label(applies)
    except (ValueError, IndexError):
        raise ConfigError(f"override: week {applies!r} is not an ISO week like 2024-W05") from None
    for tech_id, ring, comment in decisions:
        add_override(db, tech_id, ring, comment.strip(), by, applies, now)
    build_editions(db, settings, now, since=applies, progress=progress)
    return applies


def add_technology(
    db: sqlite_utils.Database, settings: Settings, tech: Tech, now: datetime, *,
    history: bool = False, progress: Progress = _quiet,
) -> tuple[Path, int]:  # fmt: skip
    """Add a staff technology, re-link every item, and rebuild the newest edition (or all).

    Staff expect a technology they add to show on this week's radar, not next week's; past
    editions are rebuilt only when asked (``history``), as that takes minutes on a big store.
    Returns the staff file written and how many editions were built.
    """
    path = add_staff_tech(layers_for(settings), tech)
    link_and_score(db, settings, now, progress)
    if history:
        return path, build_editions(db, settings, now, everything=True, progress=progress)
    return path, _rebuild_newest(db, settings, now, progress)


def _rebuild_newest(
    db: sqlite_utils.Database, settings: Settings, now: datetime, progress: Progress
) -> int:
    built = edition_weeks(db)
    return build_editions(db, settings, now, since=built[0] if built else None, progress=progress)
