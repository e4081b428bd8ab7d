"""Read taxonomy.yaml and check its shape, reporting every problem at once.

Staff edit the YAML by hand, so each message names the file, the technology (by index and
id) and the field, in the order the entries appear in the file::

    taxonomy.yaml: techs[12] (id 'foo'): quadrant 'x' is not one of ai-data, ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from radar.taxonomy.model import (
    SERIES_KEYS,
    Quadrant,
    Taxonomy,
    TaxonomyError,
    Tech,
    TopicTerms,
    alias_key,
    semantic_problems,
    tech_label,
)
from radar.taxonomy.sidefiles import (
    DEFAULT_TAXONOMY_PATH,
    SEEDS_FILE,
    TOPIC_TERMS_FILE,
    foreign,
    load_topic_terms,
    side_file,
)

_QUADRANT_FIELDS = ("id", "name_en", "name_ja")
_TECH_REQUIRED = ("id", "name_en", "name_ja", "quadrant", "aliases")
_TECH_OPTIONAL = ("municipal", "case_sensitive", "ja_only", "parent", "kind", "series")


def load_taxonomy(
    path: Path | None = None, *, topic_terms: Path | None = None,
    seed_examples: Path | None = None,
) -> Taxonomy:  # fmt: skip
    """Read and validate a taxonomy file (default: the shipped one) and its topic terms.

    Side files come from ``sidefiles.side_file``: the configured path, else the file beside
    the taxonomy, else the shipped one. Raises TaxonomyError listing every problem. Seed
    examples are only located here and read by training (``sidefiles.seeds_for``): a mistake
    there must not stop fetching, scoring or the app. Staff layers: ``layers.load_layered``.
    """
    path = DEFAULT_TAXONOMY_PATH if path is None else Path(path)
    taxonomy = parse_taxonomy(read_text(path), str(path))
    terms_path = side_file(TOPIC_TERMS_FILE, path, topic_terms)
    terms = load_topic_terms(
        terms_path, tuple(q.id for q in taxonomy.quadrants), known_only=foreign(terms_path, path)
    )
    seeds = side_file(SEEDS_FILE, path, seed_examples)
    return with_topic_terms(replace(taxonomy, path=path, seed_files=(seeds,)), terms)


def read_text(path: Path) -> str:
    """A hand-edited file's text; TaxonomyError naming the file when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: not UTF-8 text: {exc}") from exc


def with_topic_terms(taxonomy: Taxonomy, terms: TopicTerms) -> Taxonomy:
    """``taxonomy`` with ``terms``, shadowed by its technology names and exclude phrases."""
    keys = {alias_key(term) for _, words in terms.by_quadrant for term in words}
    names = (*(a for tech in taxonomy.techs for a in tech.aliases), *taxonomy.exclude)
    shadows = tuple(name for name in names if alias_key(name) not in keys)
    return replace(taxonomy, topic_terms=replace(terms, shadows=shadows))


def parse_layer(text: str, source: str) -> tuple[tuple[Tech, ...], tuple[str, ...]]:
    """The technologies and exclude phrases of a staff layer file (no quadrants; may be empty).

    Each entry is checked like one in taxonomy.yaml; how it fits the layers below is checked
    when they are merged (``layers.merge_layer``).
    """
    data = _read_yaml(text, source)
    data = {} if data is None else data
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"{source}: expected a mapping with 'techs' (and 'exclude')")
    problems = _unknown_keys(data, ("exclude", "techs"))
    exclude = _read_exclude(data.get("exclude") or [], problems)
    indexed = _read_techs(data.get("techs") or [], problems, empty_ok=True)
    _raise_problems(problems, source)
    return tuple(t for _, t in indexed), tuple(exclude)


def _read_yaml(text: str, source: str) -> Any:
    """Parse a hand-edited YAML file; a syntax error names the file, line and column."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TaxonomyError(f"{source}: {where}YAML syntax error: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: YAML syntax error: {exc}") from exc


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that rejects a key written twice in one mapping.

    PyYAML silently keeps the last of two ``aliases:`` lines; for a hand-edited
    file that hides a mistake, so it is an error here.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice in one entry", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_taxonomy(text: str, source: str) -> Taxonomy:
    """The taxonomy in ``text`` (without its side files); problems are prefixed with ``source``."""
    data = _read_yaml(text, source)
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"{source}: expected a mapping with 'quadrants' and 'techs' at the top")
    problems = _unknown_keys(data, ("quadrants", "exclude", "techs"))
    quadrants = _read_quadrants(data.get("quadrants"), problems)
    exclude = _read_exclude(data.get("exclude", []), problems)
    indexed = _read_techs(data.get("techs"), problems, empty_ok=False)
    problems.extend(semantic_problems(quadrants, indexed, exclude))
    _raise_problems(problems, source)
    return Taxonomy(tuple(quadrants), tuple(t for _, t in indexed), tuple(exclude))


def _unknown_keys(data: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    return [f"unknown top-level key {key!r} (allowed: {', '.join(allowed)})"
            for key in data if key not in allowed]  # fmt: skip


def _read_techs(raw: object, problems: list[str], *, empty_ok: bool) -> list[tuple[int, Tech]]:
    """Each well-formed entry with its index in the file (the rest become problems)."""
    if not isinstance(raw, list) or not (raw or empty_ok):
        problems.append(f"techs: must be a {'' if empty_ok else 'non-empty '}list of technologies")
        return []
    return [(i, tech) for i, entry in enumerate(raw) if (tech := _read_tech(i, entry, problems))]


def _raise_problems(problems: list[str], source: str) -> None:
    """TaxonomyError listing every problem, prefixed with ``source``, in file order."""
    if problems:
        raise TaxonomyError([f"{source}: {p}" for p in sorted(problems, key=_file_order)])


_SECTION_RE = re.compile(r"(quadrants|exclude|techs)(?:\[(\d+)\])?")
_SECTION_RANK = {"quadrants": 0, "exclude": 1, "techs": 2}


def _file_order(problem: str) -> tuple[int, int]:
    """Sort key putting problems in the order their entries appear in the file."""
    found = _SECTION_RE.match(problem)
    if found is None:
        return (-1, 0)
    return (_SECTION_RANK[found[1]], int(found[2] or -1))


def _read_exclude(raw: object, problems: list[str]) -> list[str]:
    if not isinstance(raw, list):
        problems.append("exclude: must be a list of phrases, e.g. [iPhone XR]")
        return []
    return [
        phrase for i, phrase in enumerate(raw) if _check_text(phrase, f"exclude[{i}]", problems)
    ]


def _read_quadrants(raw: object, problems: list[str]) -> list[Quadrant]:
    if not isinstance(raw, list) or not raw:
        problems.append("quadrants: must be a non-empty list of quadrants")
        return []
    quadrants = []
    for index, entry in enumerate(raw):
        label = f"quadrants[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{label}: must be a mapping with id, name_en, name_ja")
            continue
        ok = True
        for key in entry:
            if key not in _QUADRANT_FIELDS:
                problems.append(f"{label}: unknown field {key!r}")
                ok = False
        for name in _QUADRANT_FIELDS:
            if not _check_text(entry.get(name), f"{label}: {name}", problems):
                ok = False
        if ok:
            quadrants.append(
                Quadrant(entry["id"], entry["name_en"].strip(), entry["name_ja"].strip())
            )
    return quadrants


def _read_tech(index: int, raw: object, problems: list[str]) -> Tech | None:
    """Check one entry's shape and types; return a Tech only if they are right."""
    if not isinstance(raw, Mapping):
        problems.append(f"techs[{index}]: must be a mapping (id, name_en, ...)")
        return None
    raw_id = raw.get("id")
    label = tech_label(index, raw_id if isinstance(raw_id, str) else None)
    before = len(problems)

    for key in raw:
        if key not in _TECH_REQUIRED + _TECH_OPTIONAL:
            allowed = ", ".join(_TECH_REQUIRED + _TECH_OPTIONAL)
            problems.append(f"{label}: unknown field {key!r} (allowed: {allowed})")
    for name in ("id", "name_en", "name_ja", "quadrant"):
        _check_text(raw.get(name), f"{label}: {name}", problems)

    aliases = raw.get("aliases")
    if aliases is None:
        problems.append(f"{label}: aliases is missing")
    elif not isinstance(aliases, list) or not aliases:
        problems.append(f"{label}: aliases must be a non-empty list, e.g. [a, b]")
    else:
        for i, alias in enumerate(aliases):
            _check_text(alias, f"{label}: aliases[{i}]", problems)

    municipal = raw.get("municipal", False)
    if not isinstance(municipal, bool):
        problems.append(f"{label}: municipal must be true or false, not {municipal!r}")

    alias_lists = {}
    for name, example in (("case_sensitive", "[Rust]"), ("ja_only", "[Teams]")):
        values = raw.get(name, [])
        if not isinstance(values, list):
            problems.append(f"{label}: {name} must be a list, e.g. {example}")
            continue
        for i, alias in enumerate(values):
            _check_text(alias, f"{label}: {name}[{i}]", problems)
        alias_lists[name] = tuple(values)

    parent = raw.get("parent")
    if parent is not None:
        _check_text(parent, f"{label}: parent", problems)

    kind = raw.get("kind", "technology")
    _check_text(kind, f"{label}: kind", problems)
    series = _read_series(raw.get("series", {}), label, problems)

    if len(problems) > before:
        return None
    return Tech(
        id=raw["id"],
        name_en=raw["name_en"].strip(),
        name_ja=raw["name_ja"].strip(),
        quadrant=raw["quadrant"],
        aliases=tuple(raw["aliases"]),
        municipal=municipal,
        case_sensitive=alias_lists["case_sensitive"],
        ja_only=alias_lists["ja_only"],
        parent=parent,
        kind=kind,
        series=series,
    )


def _read_series(
    raw: object, label: str, problems: list[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Check a ``series:`` block: known keys, each a term or a list of terms."""
    if not isinstance(raw, Mapping):
        problems.append(f"{label}: series must be a mapping, e.g. {{stackoverflow: kubernetes}}")
        return ()
    pairs = []
    for key, value in raw.items():
        if key not in SERIES_KEYS:
            allowed = ", ".join(SERIES_KEYS)
            problems.append(f"{label}: series has unknown key {key!r} (allowed: {allowed})")
            continue
        terms = value if isinstance(value, list) else [value]  # [] says "not in this series"
        if not all(_check_text(t, f"{label}: series.{key}", problems) for t in terms):
            continue
        pairs.append((key, tuple(t.strip() for t in terms)))
    return tuple(pairs)


def _check_text(value: object, where: str, problems: list[str]) -> bool:
    if value is None:
        problems.append(f"{where} is missing")
    elif not isinstance(value, str):
        hint = " (put it in quotes)" if isinstance(value, (bool, int, float)) else ""
        problems.append(f"{where} must be text, not {value!r}{hint}")
    elif not value.strip():
        problems.append(f"{where} is empty")
    else:
        return True
    return False
