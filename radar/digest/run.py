"""Send one week's digest to every recipient once; the one orchestrator of the digest.

A (week, recipient) already sent is skipped, so running twice sends nothing twice; a failure
is recorded and the other recipients still get theirs. Nothing here raises into the scheduler.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from radar.config import Settings
from radar.digest.compose import compose
from radar.digest.gather import gather
from radar.digest.send import build_message, deliver
from radar.errors import SendError
from radar.store.digests import record_send, was_sent
from radar.taxonomy.model import Taxonomy


@dataclass(frozen=True)
class SendOutcome:
    """What happened for one recipient."""

    recipient: str
    status: str  # "sent" | "skipped" | "failed"
    attempts: int = 0
    error: str | None = None


def send_week(
    db: sqlite_utils.Database, settings: Settings, taxonomy: Taxonomy, week: str, now: datetime,
    *, to: str | None = None, lang: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[SendOutcome]:  # fmt: skip
    """Send the digest of ``week`` (to ``to`` only, if given, regardless of earlier sends)."""
    recipients = [(to, lang or "ja")] if to else list(settings.smtp.recipients)
    if not recipients:
        raise SendError("send: no recipients (settings.smtp.recipients or --to)")
    data = gather(db, taxonomy, week, settings.base_url, settings.models_dir)
    outcomes = []
    for address, address_lang in recipients:
        if not to and was_sent(db, week, address):
            outcomes.append(SendOutcome(address, "skipped"))
            continue
        message = build_message(compose(data, address_lang), settings.smtp.from_addr, address)
        try:
            attempts = deliver(settings.smtp, message, sleep)
        except SendError as exc:
            record_send(db, week, address, "failed", settings.smtp.retries, str(exc), now)
            outcomes.append(SendOutcome(address, "failed", settings.smtp.retries, str(exc)))
            continue
        record_send(db, week, address, "sent", attempts, None, now)
        outcomes.append(SendOutcome(address, "sent", attempts))
    return outcomes
