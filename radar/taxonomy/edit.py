"""Add a technology to the staff layer (``staff/taxonomy.yaml`` beside the store), as text.

Never the shipped files: they are defaults an upgrade replaces, and may be read-only. The
entry is appended as text so the comments and layout staff wrote in their file stay.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

from radar.taxonomy.layers import TAXONOMY_FILE, Layers, load_layered
from radar.taxonomy.load import parse_layer, read_text
from radar.taxonomy.model import TaxonomyError, Tech, semantic_problems
from radar.taxonomy.sidefiles import SHIPPED_DIR

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # radar/: never written
STAFF_HEADER = """\
# 職員が追加・変更した技術。同梱の taxonomy.yaml の上に重ねて読みます。
# 同梱と同じ id の項目は同梱の項目を置き換え、それ以外は追加されます。
# 書式は taxonomy.yaml と同じです。
# Technologies staff added or changed, read on top of the shipped taxonomy.yaml: an entry
# with a shipped id replaces that entry, any other id is added. Same fields as taxonomy.yaml.
# `radar techs add` appends here; you may also edit this file by hand.
techs:
"""


def add_staff_tech(layers: Layers, tech: Tech) -> Path:
    """Append a technology (new id, no alias already in use) to the staff taxonomy file.

    The layers are read and checked first, so a broken staff file is reported rather than
    extended; the new file is parsed before it atomically replaces the old one. Returns the
    file written. Raises TaxonomyError if the technology or the files break a rule.
    """
    tech = dataclasses.replace(  # tuples, so the re-read file compares equal
        tech,
        aliases=tuple(tech.aliases),
        case_sensitive=tuple(tech.case_sensitive),
        ja_only=tuple(tech.ja_only),
    )
    path = layers.staff_file(TAXONOMY_FILE)
    current = load_layered(layers)
    if tech.id in current:
        raise TaxonomyError(
            f"technology {tech.id!r} exists already; to change it, copy its entry into {path} "
            "and edit it there (an entry with the same id replaces the shipped one)"
        )
    indexed = [*enumerate(current.techs), (len(current.techs), tech)]
    new_label = f"techs[{len(current.techs)}]"
    problems = [
        p.replace(new_label, "new technology")
        for p in semantic_problems(current.quadrants, indexed, current.exclude)
    ]
    if problems:
        raise TaxonomyError(problems)

    text = read_text(path) if path.exists() else STAFF_HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    before = parse_layer(text, str(path))[0]
    new_text = text + _tech_to_yaml(tech, _item_indent(text))
    cause: TaxonomyError | None = None
    try:
        appended = parse_layer(new_text, str(path))[0] == (*before, tech)
    except TaxonomyError as exc:
        appended, cause = False, exc
    if not appended:
        raise TaxonomyError(
            f"{path}: cannot append technology {tech.id!r}: "
            "'techs:' must be the last section of the file"
        ) from cause
    write_staff_file(path, new_text)
    return path


def write_staff_file(path: Path, text: str) -> None:
    """Write a staff file atomically, creating its folder; never inside the package."""
    path = Path(path)
    target = path.resolve()
    if target.is_relative_to(SHIPPED_DIR) or target.is_relative_to(PACKAGE_DIR):
        raise TaxonomyError(
            f"{path}: refusing to write staff edits among the shipped files; "
            "put the store (store.path) in a folder of its own"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, text)


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
