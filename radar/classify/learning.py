"""Whether the store should train a model now, without anyone asking: the one rule.

An office that never runs `radar train` must still get a model on its first day and keep
learning from its tags, so after new items are stored the flow asks :func:`training_due`:

* **first**: there is no model and the store holds at least ``MIN_ITEMS_TO_LEARN`` items (a
  handful of items teaches nothing, and a test store of three items should not train);
* **tags**: staff have tagged ``tag_threshold`` items since the last training (promoted or
  not, so a version that was not promoted is not retried after every poll);
* otherwise nothing: the weekly retraining is the scheduler's own job.

Promotion still follows the one rule in :mod:`radar.classify.compare`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from radar.classify.changes import FIRST, TAGS, last_training
from radar.classify.versions import current_version
from radar.errors import ModelError
from radar.store.items import count_items
from radar.store.labels import tags_after
from radar.timefmt import from_iso

MIN_ITEMS_TO_LEARN = 100
VERSION_FORMAT = "%Y%m%d-%H%M%S"


def training_due(*, has_model: bool, items: int, tags_since: int, tag_threshold: int) -> str | None:
    """The reason to train now (``FIRST`` or ``TAGS``), or None. Pure."""
    if not has_model:
        return FIRST if items >= MIN_ITEMS_TO_LEARN else None
    if tag_threshold > 0 and tags_since >= tag_threshold:
        return TAGS
    return None


def last_trained_at(models_dir: Path) -> datetime | None:
    """When the newest training ran: the change log, else the current version's name."""
    entry = last_training(models_dir)
    if entry:
        return from_iso(entry["at"])
    try:
        version = current_version(models_dir)
    except ModelError:
        return None
    if version is None:
        return None
    try:
        # Versions are named from the UTC moment they were trained.
        return datetime.strptime(version[:15], VERSION_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def due_in_store(db: sqlite_utils.Database, models_dir: Path, tag_threshold: int) -> str | None:
    """:func:`training_due` for this store and models folder (reads both, changes nothing)."""
    try:
        has_model = current_version(models_dir) is not None
    except ModelError:  # a damaged pointer: the weak rules score, so train a model
        has_model = False
    if has_model:
        return training_due(
            has_model=True, items=0, tag_threshold=tag_threshold,
            tags_since=tags_after(db, last_trained_at(models_dir)),
        )  # fmt: skip
    return training_due(has_model=False, items=count_items(db), tags_since=0, tag_threshold=0)
