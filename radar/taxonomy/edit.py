"""Append a technology to taxonomy.yaml as text, so the comments and layout staff wrote stay."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

from radar.taxonomy.load import parse_taxonomy
from radar.taxonomy.model import TaxonomyError, Tech, semantic_problems


def add_tech(path: Path, tech: Tech) -> None:
    """Append a technology (no reused id or alias) to a taxonomy file, keeping its text as is.

    The entry is added as text at the end of the file (comments and layout staff wrote stay
    untouched), so ``techs:`` must be the file's last section. The new file is parsed before it
    replaces the old one, atomically. Raises TaxonomyError if the file or the technology is
    invalid, or if appending would not add exactly this technology.
    """
    path = Path(path)
    tech = dataclasses.replace(  # tuples, so the re-read file compares equal
        tech,
        aliases=tuple(tech.aliases),
        case_sensitive=tuple(tech.case_sensitive),
        ja_only=tuple(tech.ja_only),
    )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    current = parse_taxonomy(text, str(path))
    problems = semantic_problems(
        current.quadrants, list(enumerate((*current.techs, tech))), current.exclude
    )
    if problems:
        raise TaxonomyError([f"{path}: {p}" for p in problems])

    if text and not text.endswith("\n"):
        text += "\n"
    new_text = text + _tech_to_yaml(tech, _item_indent(text))
    cause: TaxonomyError | None = None
    try:
        appended = parse_taxonomy(new_text, str(path)).techs == (*current.techs, tech)
    except TaxonomyError as exc:
        appended, cause = False, exc
    if not appended:
        raise TaxonomyError(
            f"{path}: cannot append technology {tech.id!r}: "
            "'techs:' must be the last section of the file"
        ) from cause
    _write_atomically(path, new_text)


def _item_indent(text: str) -> str:
    """Return the indentation the file uses before ``- id:`` list items."""
    found = re.findall(r"^([ \t]*)-[ \t]+id:", text, flags=re.MULTILINE)
    return found[-1] if found else "  "


_PLAIN_SAFE_RE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}\"']*")


def _yaml_scalar(value: str) -> str:
    """Write a string plainly when YAML reads it back unchanged, else quoted."""
    if (
        _PLAIN_SAFE_RE.fullmatch(value)
        and value == value.strip()
        and yaml.safe_load(value) == value
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def _yaml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_yaml_scalar(v) for v in values) + "]"


def _tech_to_yaml(tech: Tech, indent: str) -> str:
    inner = indent + "  "
    lines = [
        "",
        f"{indent}- id: {_yaml_scalar(tech.id)}",
        f"{inner}name_en: {_yaml_scalar(tech.name_en)}",
        f"{inner}name_ja: {_yaml_scalar(tech.name_ja)}",
        f"{inner}quadrant: {_yaml_scalar(tech.quadrant)}",
        f"{inner}aliases: {_yaml_list(tech.aliases)}",
    ]
    if tech.municipal:
        lines.append(f"{inner}municipal: true")
    if tech.case_sensitive:
        lines.append(f"{inner}case_sensitive: {_yaml_list(tech.case_sensitive)}")
    if tech.ja_only:
        lines.append(f"{inner}ja_only: {_yaml_list(tech.ja_only)}")
    if tech.parent is not None:
        lines.append(f"{inner}parent: {_yaml_scalar(tech.parent)}")
    if tech.kind != "technology":
        lines.append(f"{inner}kind: {_yaml_scalar(tech.kind)}")
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
