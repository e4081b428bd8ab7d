"""Read feeds.yaml and the environment once into frozen settings.

Each setting is declared once in ``radar.settings``; here a value comes from the file, from its
environment variable ``RADAR_<SECTION>_<KEY>`` (which wins) or from its default, and is checked
against its bounds before anything runs, so a bad file never leaves the service half-configured.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from radar.errors import ConfigError
from radar.records import FeedSpec
from radar.settings import INTERVAL_MINUTES, HttpSettings, Settings, SmtpSettings, build, declared
from radar.slug import slugify

__all__ = ["HttpSettings", "Settings", "SmtpSettings", "load_settings", "parse_feed_entry"]

DEFAULT_CONFIG_PATH = Path("feeds.yaml")
_FEED_FIELDS = {"name", "url", "lang", "tags", "interval"}
_LANG_RE = re.compile(r"^[a-z]{2}(-[A-Za-z]{2})?$")


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


def _setting_values(raw: Any, env: Mapping[str, str], file_label: str) -> dict[str, Any]:
    """Checked values by key (``http.timeout``) for every setting the file or environment sets."""
    where = f"config: {file_label}: settings"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping")
    known = {meta.key: meta for meta in declared()}
    sections = {key.partition(".")[0] for key in known}
    if unknown_sections := set(raw) - sections:
        raise ConfigError(f"{where}: unknown section(s) {sorted(unknown_sections)}")
    given: dict[str, tuple[Any, str]] = {}
    for section, block in raw.items():
        block = {} if block is None else block  # a section with every line commented out
        if not isinstance(block, dict):
            raise ConfigError(f"{where}.{section} must be a mapping")
        if unknown := {f"{section}.{key}" for key in block} - set(known):
            raise ConfigError(f"{where}.{section}: unknown field(s) {sorted(unknown)}")
        for key, value in block.items():
            given[f"{section}.{key}"] = value, f"{file_label}: settings.{section}.{key}"
    for meta in known.values():
        if meta.secret and meta.key in given:
            raise ConfigError(
                f"{where}.{meta.key}: secrets come only from the environment ({meta.env})"
            )
        for name in filter(None, (meta.env, meta.alias)):
            if name in env:
                given[meta.key] = env[name], f"environment {name}"
    values = {}
    for key, (value, origin) in given.items():
        try:
            values[key] = known[key].check(value)
        except ValueError as exc:
            hidden = known[key].secret or repr(value) in str(exc)
            raise ConfigError(
                f"config: {origin}: {exc}{'' if hidden else f' (got {value!r:.60})'}"
            ) from None
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
    low, high = INTERVAL_MINUTES
    if type(interval) is not int or not low <= interval <= high:
        raise ConfigError(f"config: {label}: field 'interval' must be minutes from {low} to {high}")
    return FeedSpec(
        id=slugify(name),
        name=name.strip(),
        url=url.strip(),
        lang=lang,
        tags=tuple(tags),
        interval_minutes=interval,
    )


def load_settings(
    path: Path | None = None, env: Mapping[str, str] | None = None, db_path: Path | None = None
) -> Settings:
    """Read configuration once: file, then environment, then explicit arguments win.

    A missing default ``feeds.yaml`` is fine (an empty service); a missing file the user
    named is an error. The CLI's ``--db`` arrives as ``db_path``.
    """
    env = os.environ if env is None else env
    if path is None and env.get("RADAR_CONFIG"):
        path = Path(env["RADAR_CONFIG"])
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
    values = _setting_values(data.get("settings") or {}, env, file_label)
    if db_path:
        values["store.path"] = Path(db_path)
    default_interval = values.get("schedule.default_interval", Settings.default_interval)
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
    return build(values, feeds=tuple(feeds), source=path if path.exists() else None)
