"""Load, validate and extend the staff-editable technology taxonomy (taxonomy.yaml).

The taxonomy is the radar's vocabulary: the quadrants, the technologies placed in
them and the spellings (aliases) under which news mentions each technology. Staff
edit the YAML by hand, so validation reports every problem at once and each message
names the file, the technology (by index and id) and the field, e.g.::

    taxonomy.yaml: techs[12] (id 'foo'): quadrant 'x' is not one of ai-data, ...

Alias *matching* lives in :mod:`radar.classify.mentions`; this module only checks the
rules an alias must meet to be matchable and unambiguous.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from radar.errors import ConfigError

__all__ = [
    "DEFAULT_TAXONOMY_PATH",
    "SEPARATOR_CHARS",
    "Quadrant",
    "Seed",
    "Taxonomy",
    "TaxonomyError",
    "Tech",
    "add_tech",
    "alias_key",
    "load_taxonomy",
    "normalise_alias",
]

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "taxonomy.yaml"

# Characters that are optional inside an alias ("Wi-Fi" = "WiFi" = "Wi Fi"). Shared
# with the matcher so that "the same alias" means the same thing in both places.
SEPARATOR_CHARS = " \t\r\n-\u2010\u2011_\u30fb"  # space, hyphens, underscore, ・

_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_SEPARATORS_RE = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")
_HIRAGANA_RE = re.compile(r"[\u3041-\u309f]+\Z")

_QUADRANT_FIELDS = ("id", "name_en", "name_ja")
_TECH_REQUIRED = ("id", "name_en", "name_ja", "quadrant", "aliases")
_TECH_OPTIONAL = ("municipal", "case_sensitive", "ja_only", "parent")


class TaxonomyError(ConfigError, ValueError):
    """The taxonomy file or a technology in it breaks a rule.

    A ConfigError, so the CLI and app report it like any bad configuration, and a
    ValueError for callers that only know the standard library. ``problems`` holds
    one message per problem so callers can list them; ``str(error)`` joins them.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Quadrant:
    """One of the four radar quadrants, named in both languages."""

    id: str
    name_en: str
    name_ja: str


@dataclass(frozen=True)
class Tech:
    """A technology the radar tracks and the spellings that mention it.

    ``case_sensitive`` lists aliases (from ``aliases``) that keep their case when
    matched; short all-caps aliases are case-sensitive without being listed.
    ``ja_only`` lists aliases that are ordinary English words but unambiguous in
    Japanese ("Teams", "Threads"): matched case-sensitively, only in text with kana.
    ``parent`` is the id of a broader technology that every mention also counts
    for (PLATEAU is a digital twin), so specific products roll up into categories.
    """

    id: str
    name_en: str
    name_ja: str
    quadrant: str
    aliases: tuple[str, ...]
    municipal: bool = False
    case_sensitive: tuple[str, ...] = ()
    ja_only: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class TopicTerms:
    """General words per quadrant, from ``topic_terms.yaml`` (see radar.classify.topic_terms).

    ``case_sensitive`` names the terms that are also ordinary words and keep their case.
    """

    by_quadrant: tuple[tuple[str, tuple[str, ...]], ...] = ()
    case_sensitive: frozenset[str] = frozenset()
    # Technology names (and the taxonomy's exclude phrases): a term inside one is part of a
    # name, not a cue (キャッシュ inside キャッシュレス), so matching drops it.
    shadows: tuple[str, ...] = ()

    @cached_property
    def matcher(self) -> Any:  # a MentionMatcher, built once per loaded file
        from radar.classify.topic_terms import build_matcher  # it imports this module

        return build_matcher(self)


@dataclass(frozen=True)
class Seed:
    """A headline the team wrote, with its labels (``seed_examples.yaml``, radar.classify.seeds)."""

    title: str
    lang: str
    quadrant: str | None  # None: not about technology
    relevant: bool


@dataclass(frozen=True)
class Taxonomy:
    """Quadrants and technologies, validated on construction, with id lookups.

    ``exclude`` lists phrases that contain an alias but mean something else
    ("iPhone XR" is not extended reality); the matcher finds and then drops them.
    """

    quadrants: tuple[Quadrant, ...]
    techs: tuple[Tech, ...]
    exclude: tuple[str, ...] = ()
    topic_terms: TopicTerms = field(default_factory=TopicTerms)
    path: Path | None = None  # the file it was read from (side files sit beside it)
    _techs_by_id: dict[str, Tech] = field(init=False, repr=False, compare=False)
    _quadrants_by_id: dict[str, Quadrant] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = _semantic_problems(self.quadrants, list(enumerate(self.techs)), self.exclude)
        if problems:
            raise TaxonomyError(problems)
        object.__setattr__(self, "_techs_by_id", {t.id: t for t in self.techs})
        object.__setattr__(self, "_quadrants_by_id", {q.id: q for q in self.quadrants})

    @property
    def tech_ids(self) -> tuple[str, ...]:
        """Return every technology id in file order."""
        return tuple(t.id for t in self.techs)

    def ancestors(self, tech_id: str) -> tuple[str, ...]:
        """Return the ids of the broader technologies above one, nearest first."""
        chain = []
        parent = self.tech(tech_id).parent
        while parent is not None:
            chain.append(parent)
            parent = self._techs_by_id[parent].parent
        return tuple(chain)

    def tech(self, tech_id: str) -> Tech:
        """Return the technology with this id; raise KeyError naming it if unknown."""
        try:
            return self._techs_by_id[tech_id]
        except KeyError:
            raise KeyError(f"unknown technology id {tech_id!r}") from None

    def quadrant(self, quadrant_id: str) -> Quadrant:
        """Return the quadrant with this id; raise KeyError naming it if unknown."""
        try:
            return self._quadrants_by_id[quadrant_id]
        except KeyError:
            raise KeyError(f"unknown quadrant id {quadrant_id!r}") from None

    def techs_in(self, quadrant_id: str) -> tuple[Tech, ...]:
        """Return the technologies placed in a quadrant, in file order."""
        self.quadrant(quadrant_id)
        return tuple(t for t in self.techs if t.quadrant == quadrant_id)

    def __contains__(self, tech_id: object) -> bool:
        return tech_id in self._techs_by_id


def normalise_alias(alias: str) -> str:
    """Return the alias as the matcher sees it: NFKC, trimmed, spaces collapsed.

    NFKC folds full-width and half-width forms but never strips dakuten, so
    "ｶﾞﾊﾞﾒﾝﾄ" becomes "ガバメント", not "カハメント".
    """
    text = unicodedata.normalize("NFKC", alias)
    return " ".join(text.split()).strip(SEPARATOR_CHARS)


def alias_key(alias: str) -> str:
    """Return the identity of an alias: normalised, separators removed, casefolded.

    Two aliases with the same key would match the same text, so the same key under
    two technologies is an error.
    """
    return _SEPARATORS_RE.sub("", normalise_alias(alias)).casefold()


def repeated(seen: dict[str, str], text: str, where: str) -> str | None:
    """Where ``text`` (by alias key) was listed before, recording it at ``where`` if new.

    Staff files list spellings by hand; a repeat in another place is a mistake to report.
    """
    first = seen.setdefault(alias_key(text), where)
    return None if first == where else first


def read_side_file(path: Path, expected: str) -> Mapping[str, Any] | None:
    """A staff-edited YAML file beside the taxonomy, as a mapping; None when there is none.

    The side files (topic terms, seed examples) are optional, so a missing one is not an
    error; an unreadable one is, naming the file and what it should hold.
    """
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"{path}: expected {expected}")
    return data


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file and the topic terms beside it (``topic_terms.yaml``).

    Seed examples, also beside it, are read only by training (``radar.classify.seeds``):
    a mistake there must not stop fetching, scoring or the app.

    Parameters
    ----------
    path:
        The YAML file; defaults to the repository's ``taxonomy.yaml``.

    Returns
    -------
    Taxonomy
        The validated taxonomy.

    Raises
    ------
    TaxonomyError
        Listing every problem, each naming the file, technology and field.
    """
    path = DEFAULT_TAXONOMY_PATH if path is None else Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path}: not UTF-8 text: {exc}") from exc
    from radar.classify.topic_terms import FILE_NAME, load_topic_terms  # imports this module

    taxonomy = _load_text(text, str(path))
    terms = load_topic_terms(path.parent / FILE_NAME, tuple(q.id for q in taxonomy.quadrants))
    keys = {alias_key(term) for _, words in terms.by_quadrant for term in words}
    names = (*(a for tech in taxonomy.techs for a in tech.aliases), *taxonomy.exclude)
    shadows = tuple(name for name in names if alias_key(name) not in keys)
    return replace(taxonomy, topic_terms=replace(terms, shadows=shadows), path=path)


def add_tech(path: Path, tech: Tech) -> None:
    """Append a validated technology to a taxonomy file, keeping its text as is.

    The entry is added as text at the end of the file (comments and layout staff
    wrote stay untouched), so ``techs:`` must be the file's last section. The new
    file is parsed before it replaces the old one, atomically.

    Parameters
    ----------
    path:
        The taxonomy YAML to extend.
    tech:
        The technology to add; it must not reuse an id or an alias.

    Raises
    ------
    TaxonomyError
        If the file or the new technology is invalid, or appending would not
        add exactly this technology (``techs:`` is not the last section).
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
    current = _load_text(text, str(path))
    problems = _semantic_problems(
        current.quadrants, list(enumerate((*current.techs, tech))), current.exclude
    )
    if problems:
        raise TaxonomyError([f"{path}: {p}" for p in problems])

    if text and not text.endswith("\n"):
        text += "\n"
    new_text = text + _tech_to_yaml(tech, _item_indent(text))
    cause: TaxonomyError | None = None
    try:
        appended = _load_text(new_text, str(path)).techs == (*current.techs, tech)
    except TaxonomyError as exc:
        appended, cause = False, exc
    if not appended:
        raise TaxonomyError(
            f"{path}: cannot append technology {tech.id!r}: "
            "'techs:' must be the last section of the file"
        ) from cause
    _write_atomically(path, new_text)


# --------------------------------------------------------------------------- load


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
                    None,
                    None,
                    f"the key {key!r} appears twice in one entry",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _load_text(text: str, source: str) -> Taxonomy:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TaxonomyError(f"{source}: {where}YAML syntax error: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: YAML syntax error: {exc}") from exc

    if not isinstance(data, Mapping):
        raise TaxonomyError(f"{source}: expected a mapping with 'quadrants' and 'techs' at the top")
    problems: list[str] = [
        f"unknown top-level key {key!r} (allowed: quadrants, exclude, techs)"
        for key in data
        if key not in ("quadrants", "exclude", "techs")
    ]
    quadrants = _read_quadrants(data.get("quadrants"), problems)
    exclude = _read_exclude(data.get("exclude", []), problems)
    raw_techs = data.get("techs")
    indexed: list[tuple[int, Tech]] = []
    if not isinstance(raw_techs, list) or not raw_techs:
        problems.append("techs: must be a non-empty list of technologies")
    else:
        for index, raw in enumerate(raw_techs):
            tech = _read_tech(index, raw, problems)
            if tech is not None:
                indexed.append((index, tech))

    problems.extend(_semantic_problems(quadrants, indexed, exclude))
    if problems:
        problems.sort(key=_file_order)
        raise TaxonomyError([f"{source}: {p}" for p in problems])
    return Taxonomy(
        quadrants=tuple(quadrants),
        techs=tuple(t for _, t in indexed),
        exclude=tuple(exclude),
    )


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
    label = _label(index, raw_id if isinstance(raw_id, str) else None)
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
    )


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


# ----------------------------------------------------------------------- validate


def _label(index: int, tech_id: str | None) -> str:
    return f"techs[{index}] (id {tech_id!r})" if tech_id else f"techs[{index}]"


def _semantic_problems(
    quadrants: Iterable[Quadrant],
    indexed_techs: Sequence[tuple[int, Tech]],
    exclude: Sequence[str] = (),
) -> list[str]:
    """Check ids, quadrants, names and aliases of well-typed entries.

    Shared by the loader (which prefixes the file) and ``Taxonomy`` itself, so a
    taxonomy built in code obeys the same rules as one read from disk.
    """
    problems: list[str] = []
    quadrant_ids: list[str] = []
    for i, quadrant in enumerate(quadrants):
        if quadrant.id in quadrant_ids:
            problems.append(f"quadrants[{i}]: duplicate quadrant id {quadrant.id!r}")
        if not _ID_RE.match(quadrant.id):
            problems.append(f"quadrants[{i}]: id {quadrant.id!r} is not kebab-case")
        for name in ("name_en", "name_ja"):
            if not getattr(quadrant, name).strip():
                problems.append(f"quadrants[{i}]: {name} is empty")
        quadrant_ids.append(quadrant.id)
    allowed_quadrants = ", ".join(quadrant_ids)

    first_index_of_id: dict[str, int] = {}
    owner_of_key: dict[str, tuple[int, str, str]] = {}
    for index, tech in indexed_techs:
        label = _label(index, tech.id)
        if not _ID_RE.match(tech.id):
            problems.append(
                f"{label}: id must be kebab-case (lower-case letters, digits and single hyphens)"
            )
        if tech.id in first_index_of_id:
            problems.append(
                f"{label}: duplicate id, already used by techs[{first_index_of_id[tech.id]}]"
            )
        else:
            first_index_of_id[tech.id] = index
        for name in ("name_en", "name_ja"):
            if not getattr(tech, name).strip():
                problems.append(f"{label}: {name} is empty")
        if quadrant_ids and tech.quadrant not in quadrant_ids:
            problems.append(
                f"{label}: quadrant {tech.quadrant!r} is not one of {allowed_quadrants}"
            )
        if not tech.aliases:
            problems.append(f"{label}: aliases must list at least one spelling")
        for i, alias in enumerate(tech.aliases):
            problem = alias_problem(alias)
            if problem:
                problems.append(f"{label}: aliases[{i}] {alias!r} {problem}")
                continue
            key = alias_key(alias)
            owner = owner_of_key.get(key)
            if owner is None:
                owner_of_key[key] = (index, tech.id, alias)
            elif owner[1] != tech.id:
                problems.append(
                    f"{label}: aliases[{i}] {alias!r} duplicates alias {owner[2]!r} "
                    f"of {_label(owner[0], owner[1])}"
                )
        own_aliases = set(tech.aliases)
        for name in ("case_sensitive", "ja_only"):
            for i, alias in enumerate(getattr(tech, name)):
                if alias not in own_aliases:
                    problems.append(f"{label}: {name}[{i}] {alias!r} is not one of its aliases")
    problems.extend(_parent_problems(indexed_techs, first_index_of_id))
    for i, phrase in enumerate(exclude):
        problem = alias_problem(phrase)
        owner = owner_of_key.get(alias_key(phrase)) if problem is None else None
        if problem:
            problems.append(f"exclude[{i}] {phrase!r} {problem}")
        elif owner is not None:
            problems.append(
                f"exclude[{i}] {phrase!r} is also alias {owner[2]!r} "
                f"of {_label(owner[0], owner[1])}"
            )
    return problems


def _parent_problems(
    indexed_techs: Sequence[tuple[int, Tech]], index_of_id: Mapping[str, int]
) -> list[str]:
    """Check that each parent exists and that no chain of parents loops."""
    parents = {tech.id: tech.parent for _, tech in indexed_techs}
    problems = []
    for index, tech in indexed_techs:
        if tech.parent is None:
            continue
        label = _label(index, tech.id)
        if tech.parent not in index_of_id:
            problems.append(f"{label}: parent {tech.parent!r} is not a technology id")
            continue
        seen = {tech.id}
        current: str | None = tech.parent
        while current is not None and current not in seen:
            seen.add(current)
            current = parents.get(current)
        if current == tech.id:
            problems.append(f"{label}: parent {tech.parent!r} leads back to {tech.id!r}")
    return problems


def alias_problem(alias: str) -> str | None:
    """Say why an alias cannot be matched reliably, or return None."""
    if not isinstance(alias, str):
        return "must be text"
    normal = normalise_alias(alias)
    if len(alias_key(alias)) < 2:
        return "is too short: aliases need at least 2 characters"
    if _HIRAGANA_RE.match(normal) and len(normal) < 3:
        return "is too short: hiragana-only aliases need at least 3 characters"
    if "\n" in alias:
        return "must be on one line"
    return None


# ------------------------------------------------------------------------- append


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
