"""One timestamp format for the whole store, so string order is time order."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

NO_TIME = "—"


def to_iso(moment: datetime) -> str:
    """Format an aware datetime as UTC ``YYYY-MM-DDTHH:MM:SSZ``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one (UTC)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    """Parse what ``to_iso`` wrote (and plain ISO dates) back into an aware UTC datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time; the only clock read, called at the edges (CLI, jobs)."""
    return datetime.now(UTC)


def local_label(value: str | datetime | None, zone: tzinfo) -> str:
    """A stored time as people read it: ``2024-01-05 09:28 JST`` in the office's time zone.

    Every time the app shows goes through here, so no page shows UTC by accident and every
    time says which zone it is in. Missing times show as a dash.
    """
    if value is None or value == "":
        return NO_TIME
    moment = from_iso(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    label = local.tzname() or local.strftime("UTC%z")
    return f"{local:%Y-%m-%d %H:%M} {label}"
