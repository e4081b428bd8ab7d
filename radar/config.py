"""Read feeds.yaml and the environment once into frozen settings.

Every setting has a name, a default and a help text (``SETTINGS``); each can be overridden by
an environment variable ``RADAR_<SECTION>_<KEY>`` which wins over the file. Validation happens
here, before anything runs, so a bad file never leaves the service half-configured.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from radar.errors import ConfigError
from radar.records import FeedSpec

DEFAULT_CONFIG_PATH = Path("feeds.yaml")
DEFAULT_DB_PATH = Path("data/radar.db")
DEFAULT_USER_AGENT = "TrendRadar/0.1 (+https://github.com/trend-radar/trend-radar; feed reader)"


@dataclass(frozen=True)
class Setting:
    """One configurable value: where it lives, its default and what it is for."""

    section: str
    key: str
    default: Any
    kind: type
    help: str

    @property
    def env(self) -> str:
        return f"RADAR_{self.section}_{self.key}".upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "path", str(DEFAULT_DB_PATH), str, "SQLite database file (also RADAR_DB)."),
    Setting("general", "timezone", "Asia/Tokyo", str, "Time zone for weeks and schedules."),
    Setting("http", "timeout", 20.0, float, "Read timeout per request, seconds."),
    Setting("http", "connect_timeout", 10.0, float, "Connect timeout, seconds."),
    Setting("http", "max_body_bytes", 10 * 1024 * 1024, int, "Largest feed body accepted."),
    Setting("http", "concurrency", 16, int, "Feeds fetched at once."),
    Setting("http", "per_host", 2, int, "Concurrent requests to one host."),
    Setting("http", "user_agent", DEFAULT_USER_AGENT, str, "User-Agent sent with every request."),
    Setting("http", "allow_private", False, bool, "Allow loopback/private feed addresses."),
    Setting("http", "max_backoff_minutes", 24 * 60, int, "Cap for the wait after errors."),
    Setting("classify", "taxonomy", "", str, "Taxonomy YAML (empty: the shipped taxonomy.yaml)."),
    Setting("classify", "models_dir", "models", str, "Folder of trained model versions."),
    Setting(
        "classify", "sentence_model", True, bool, "Also read each title's meaning (slower, better)."
    ),
    Setting("schedule", "fetch_minutes", 15, int, "How often the scheduler checks for due feeds."),
    Setting("schedule", "default_interval", 60, int, "Minutes between polls of one feed."),
    Setting("schedule", "misfire_grace_seconds", 300, int, "Late jobs still run within this."),
    Setting("app", "base_url", "http://localhost:8501", str, "Links in the digest point here."),
    Setting("smtp", "host", "", str, "SMTP server for the digest (empty: sending off)."),
    Setting("smtp", "port", 587, int, "SMTP port."),
    Setting("smtp", "security", "starttls", str, "starttls, ssl or none."),
    Setting("smtp", "user", "", str, "SMTP user name (empty: no login)."),
    Setting("smtp", "password", "", str, "SMTP password: environment only (RADAR_SMTP_PASSWORD)."),
    Setting("smtp", "from_addr", "trend-radar@localhost", str, "Sender address."),
    Setting(
        "smtp", "recipients", "", str, "Comma-separated addr:lang, e.g. a@city.jp:ja,b@x.org:en."
    ),
    Setting("smtp", "retries", 3, int, "Attempts per message before giving up for this run."),
    Setting("smtp", "timeout", 20.0, float, "SMTP timeout, seconds."),
    Setting("digest", "day", "mon", str, "Weekday the digest is sent (mon..sun)."),
    Setting("digest", "hour", 8, int, "Hour (local time) the digest is sent."),
)
SECRETS = frozenset({("smtp", "password")})

_FEED_FIELDS = {"name", "url", "lang", "tags", "interval"}
_LANG_RE = re.compile(r"^[a-z]{2}(-[A-Za-z]{2})?$")


@dataclass(frozen=True)
class HttpSettings:
    """Limits for the fetcher; named so tests and benchmarks can tighten them."""

    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_body_bytes: int = 10 * 1024 * 1024
    concurrency: int = 16
    per_host: int = 2
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False
    max_backoff_minutes: int = 24 * 60


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how the digest is sent; the password only ever comes from the environment."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    from_addr: str = "trend-radar@localhost"
    recipients: tuple[tuple[str, str], ...] = ()
    retries: int = 3
    timeout: float = 20.0


def parse_recipients(text: str, where: str) -> tuple[tuple[str, str], ...]:
    """Read 'addr:lang,addr:lang' (lang defaults to ja)."""
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        address, _, lang = part.partition(":")
        if "@" not in address or any(c in address for c in "\r\n <>"):
            raise ConfigError(f"config: {where}: {address!r} is not an email address")
        if lang and lang not in ("ja", "en"):
            raise ConfigError(f"config: {where}: language {lang!r} must be ja or en")
        found.append((address, lang or "ja"))
    return tuple(found)


@dataclass(frozen=True)
class Settings:
    """Everything the service needs, read once and never mutated."""

    db_path: Path = DEFAULT_DB_PATH
    timezone: str = "Asia/Tokyo"
    http: HttpSettings = field(default_factory=HttpSettings)
    fetch_minutes: int = 15
    default_interval: int = 60
    misfire_grace_seconds: int = 300
    feeds: tuple[FeedSpec, ...] = ()
    source: Path | None = None
    taxonomy_path: Path | None = None
    models_dir: Path = Path("models")
    sentence_model: bool = True
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    base_url: str = "http://localhost:8501"
    digest_day: str = "mon"
    digest_hour: int = 8

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def slugify(name: str) -> str:
    """Turn a feed name into a stable id; names with non-ASCII text get a short hash too."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if len(slug) < 3 or not name.isascii():
        digest = hashlib.sha1(name.encode()).hexdigest()[:6]
        slug = f"{slug}-{digest}" if slug else f"feed-{digest}"
    return slug


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    if setting.kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"config: {where}: expected true/false, got {value!r}")
    try:
        coerced = setting.kind(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"config: {where}: expected {setting.kind.__name__}, got {value!r}"
        ) from None
    if setting.kind in (int, float) and coerced <= 0:
        raise ConfigError(f"config: {where}: must be positive, got {value!r}")
    return coerced


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"config: cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config: {path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config: {path}: the top level must be a mapping")
    return data


def _setting_values(
    raw: Mapping[str, Any], env: Mapping[str, str], file_label: str
) -> dict[tuple[str, str], Any]:
    unknown_sections = set(raw) - {s.section for s in SETTINGS}
    if unknown_sections:
        raise ConfigError(
            f"config: {file_label}: settings: unknown section(s) {sorted(unknown_sections)}"
        )
    values: dict[tuple[str, str], Any] = {}
    for section in {s.section for s in SETTINGS}:
        block = raw.get(section) or {}
        if not isinstance(block, dict):
            raise ConfigError(f"config: {file_label}: settings.{section} must be a mapping")
        known = {s.key for s in SETTINGS if s.section == section}
        extra = set(block) - known
        if extra:
            raise ConfigError(
                f"config: {file_label}: settings.{section}: unknown field(s) {sorted(extra)}"
            )
    for section, key in SECRETS:
        if key in (raw.get(section) or {}):
            raise ConfigError(
                f"config: {file_label}: settings.{section}.{key}: secrets come only from the "
                f"environment (RADAR_{section.upper()}_{key.upper()})"
            )
    for setting in SETTINGS:
        where = f"{file_label}: settings.{setting.section}.{setting.key}"
        value = (raw.get(setting.section) or {}).get(setting.key, setting.default)
        if setting.env in env:
            value, where = env[setting.env], f"environment {setting.env}"
        values[(setting.section, setting.key)] = _coerce(setting, value, where)
    if "RADAR_DB" in env:
        values[("store", "path")] = env["RADAR_DB"]
    return values


def parse_feed_entry(entry: Any, index: int, file_label: str, default_interval: int) -> FeedSpec:
    """Validate one feed mapping; errors name the file, the feed and the field."""
    label = f"{file_label}: feeds[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"config: {label}: each feed must be a mapping with name and url")
    if entry.get("name"):
        label += f" ({entry['name']!r})"
    extra = set(entry) - _FEED_FIELDS
    if extra:
        raise ConfigError(f"config: {label}: unknown field(s) {sorted(extra)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"config: {label}: field 'name' is required")
    url = entry.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise ConfigError(f"config: {label}: field 'url' must be an http(s) URL, got {url!r}")
    lang = entry.get("lang")
    if lang is not None and (not isinstance(lang, str) or not _LANG_RE.match(lang)):
        raise ConfigError(f"config: {label}: field 'lang' must be a code like ja or en")
    tags = entry.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"config: {label}: field 'tags' must be a list of strings")
    interval = entry.get("interval", default_interval)
    if not isinstance(interval, int) or isinstance(interval, bool) or interval < 5:
        raise ConfigError(f"config: {label}: field 'interval' must be minutes >= 5")
    return FeedSpec(
        id=slugify(name),
        name=name.strip(),
        url=url.strip(),
        lang=lang,
        tags=tuple(tags),
        interval_minutes=interval,
    )


def load_settings(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    db_path: Path | None = None,
) -> Settings:
    """Read configuration once: file, then environment, then explicit arguments win.

    A missing default ``feeds.yaml`` is fine (an empty service); a missing file the user
    named is an error. The CLI's ``--db`` arrives as ``db_path``.
    """
    env = os.environ if env is None else env
    if path is None and env.get("RADAR_CONFIG"):
        path = Path(env["RADAR_CONFIG"])
        explicit = True
    else:
        explicit = path is not None
        path = path or DEFAULT_CONFIG_PATH
    if path.exists():
        data = _read_yaml(path)
    elif explicit:
        raise ConfigError(f"config: {path} does not exist")
    else:
        data = {}
    file_label = str(path)
    unknown = set(data) - {"settings", "feeds"}
    if unknown:
        raise ConfigError(f"config: {file_label}: unknown top-level key(s) {sorted(unknown)}")
    raw_settings = data.get("settings") or {}
    if not isinstance(raw_settings, dict):
        raise ConfigError(f"config: {file_label}: settings must be a mapping")
    values = _setting_values(raw_settings, env, file_label)
    try:
        ZoneInfo(values[("general", "timezone")])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"config: {file_label}: settings.general.timezone: unknown time zone "
            f"{values[('general', 'timezone')]!r}"
        ) from None
    default_interval = values[("schedule", "default_interval")]
    raw_feeds = data.get("feeds") or []
    if not isinstance(raw_feeds, list):
        raise ConfigError(f"config: {file_label}: feeds must be a list")
    feeds = [
        parse_feed_entry(entry, i, file_label, default_interval)
        for i, entry in enumerate(raw_feeds)
    ]
    seen: dict[str, str] = {}
    for feed in feeds:
        if feed.id in seen:
            raise ConfigError(
                f"config: {file_label}: feed {feed.name!r}: field 'name' repeats {seen[feed.id]!r}"
            )
        seen[feed.id] = feed.name
    http = HttpSettings(
        **{key: values[("http", key)] for (section, key) in values if section == "http"}
    )
    if values[("smtp", "security")] not in ("starttls", "ssl", "none"):
        raise ConfigError(
            f"config: {file_label}: settings.smtp.security must be starttls, ssl or none"
        )
    if values[("digest", "day")] not in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        raise ConfigError(f"config: {file_label}: settings.digest.day must be mon..sun")
    smtp = SmtpSettings(
        host=values[("smtp", "host")], port=values[("smtp", "port")],
        security=values[("smtp", "security")], user=values[("smtp", "user")],
        password=values[("smtp", "password")], from_addr=values[("smtp", "from_addr")],
        recipients=parse_recipients(
            values[("smtp", "recipients")], f"{file_label}: settings.smtp.recipients"
        ),
        retries=values[("smtp", "retries")], timeout=values[("smtp", "timeout")],
    )  # fmt: skip
    return Settings(
        smtp=smtp,
        base_url=values[("app", "base_url")].rstrip("/"),
        digest_day=values[("digest", "day")],
        digest_hour=values[("digest", "hour")],
        db_path=Path(db_path) if db_path else Path(values[("store", "path")]),
        timezone=values[("general", "timezone")],
        http=http,
        fetch_minutes=values[("schedule", "fetch_minutes")],
        default_interval=default_interval,
        misfire_grace_seconds=values[("schedule", "misfire_grace_seconds")],
        feeds=tuple(feeds),
        source=path if path.exists() else None,
        models_dir=Path(values[("classify", "models_dir")]),
        sentence_model=values[("classify", "sentence_model")],
        taxonomy_path=Path(values[("classify", "taxonomy")])
        if values[("classify", "taxonomy")]
        else None,
    )
