"""When the model changed and why: the log the Models page and the digest read.

The classifier now retrains on its own (the first fetch, every week, after enough new staff
tags), so "which model scored this, since when, and why that one" must be answerable without
asking whoever ran a command. Every training run and every switch appends one line to
``models/CHANGES.jsonl``: the version, the moment, the reason and whether it became current.
A line that cannot be read is skipped (the log explains; it never stops scoring).
"""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from radar.timefmt import to_iso

LOG = "CHANGES.jsonl"

# Why a training ran or a version was switched to; the shells word each one.
FIRST = "first"  # the first fetch left the store without a model
TAGS = "tags"  # staff added enough tags since the last training
WEEKLY = "weekly"  # the scheduler's weekly retraining
STAFF = "staff"  # a person ran `radar train` or pressed the app's button
SWITCH = "switch"  # a person promoted or rolled back to a version
REASONS = (FIRST, TAGS, WEEKLY, STAFF, SWITCH)


def record_change(
    models_dir: Path, version: str, reason: str, promoted: bool, now: datetime, **detail: Any
) -> None:
    """Append one training or switch to the log (best effort: a read-only folder skips it)."""
    entry = {"version": version, "at": to_iso(now), "reason": reason, "promoted": promoted,
             **detail}  # fmt: skip
    with suppress(OSError):
        models_dir.mkdir(parents=True, exist_ok=True)
        with (models_dir / LOG).open("a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def read_changes(models_dir: Path) -> list[dict[str, Any]]:
    """Every readable entry, oldest first."""
    try:
        lines = (models_dir / LOG).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    entries = []
    for line in lines:
        with suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict) and entry.get("reason") in REASONS:
                entries.append(entry)
    return entries


def last_change(models_dir: Path) -> dict[str, Any] | None:
    """The newest entry that made a version current: when the model last changed, and why."""
    promoted = [entry for entry in read_changes(models_dir) if entry.get("promoted")]
    return promoted[-1] if promoted else None


def last_training(models_dir: Path) -> dict[str, Any] | None:
    """The newest training run, promoted or not (a switch is not a training)."""
    trained = [entry for entry in read_changes(models_dir) if entry["reason"] != SWITCH]
    return trained[-1] if trained else None
