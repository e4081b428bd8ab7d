"""The taxonomy's data and the rules it obeys, whether built in code or read from a file.

The taxonomy is the radar's vocabulary: the quadrants, the technologies placed in them and the
spellings (aliases) under which news mentions each technology. ``Taxonomy`` checks itself on
construction, so every problem is found the same way wherever it was built; each message names
the technology (by index and id) and the field, e.g.::

    techs[12] (id 'foo'): quadrant 'x' is not one of ai-data, ...

Alias *matching* lives in :mod:`radar.classify.mentions`; this module only holds the rules an
alias must meet to be matchable and unambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from radar.errors import ConfigError

# Characters that are optional inside an alias ("Wi-Fi" = "WiFi" = "Wi Fi"). Shared
# with the matcher so that "the same alias" means the same thing in both places.
SEPARATOR_CHARS = " \t\r\n-\u2010\u2011_\u30fb"  # space, hyphens, underscore, ・

# What sort of thing a technology entry is. A ring is a recommendation, and only some kinds can
# be adopted: a threat (ransomware) or a policy (ガバメントクラウド) is tracked, never "adopted";
# radar.staying.rings says which rings each kind may take.
KINDS = ("technology", "product", "practice", "policy", "threat")

# What a technology's ``series:`` block may name, and what each key is looked up in.
SERIES_KEYS: dict[str, str] = {
    "stackoverflow": "Stack Overflow tag (questions per tag)",
    "wikipedia_en": "English Wikipedia article title (pageviews)",
    "wikipedia_ja": "Japanese Wikipedia article title (pageviews)",
    "npm": "npm package (downloads)",
    "pypi": "PyPI package (downloads)",
    "qiita": "Qiita tag (articles by Japanese developers)",
    "jobs": "term in job postings (Hacker News 'Who is hiring?')",
    "github": "GitHub language (activity per language)",
    "pypl": "PYPL language or tool name (search share)",
    "news": "query for news and Hacker News story counts (default: the aliases)",
}

_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_SEPARATORS_RE = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")
_HIRAGANA_RE = re.compile(r"[\u3041-\u309f]+\Z")


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
    ``kind`` is one of KINDS (technology, product, practice, policy, threat): it decides which
    rings the technology may take and how they are named.
    ``series`` names the technology where a public series spells it differently from its
    aliases (a Stack Overflow tag, a Wikipedia article, a package): pairs of a SERIES_KEYS key
    and its terms. A key given is the whole list for that series (``[]``: the technology is
    not in it); a key left out matches the id and aliases exactly, never a guess.
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
    kind: str = "technology"
    # Left out of repr: the linking fingerprint hashes repr(taxonomy), and a series name never
    # changes which items mention a technology, so naming one must not re-link every item.
    series: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), repr=False)

    def series_terms(self, key: str) -> tuple[str, ...]:
        """The terms this technology goes by in one kind of series (empty when not given)."""
        return next((terms for name, terms in self.series if name == key), ())


@dataclass(frozen=True)
class TopicTerms:
    """General words per quadrant, from ``topic_terms.yaml`` (radar.classify.topic_terms matches).

    ``case_sensitive`` names the terms that are also ordinary words and keep their case.
    """

    by_quadrant: tuple[tuple[str, tuple[str, ...]], ...] = ()
    case_sensitive: frozenset[str] = frozenset()
    # Technology names (and the taxonomy's exclude phrases): a term inside one is part of a
    # name, not a cue (キャッシュ inside キャッシュレス), so matching drops it.
    shadows: tuple[str, ...] = ()

    def __hash__(self) -> int:  # the key of the matcher cache, looked up once per headline
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash((self.by_quadrant, self.case_sensitive, self.shadows))


@dataclass(frozen=True)
class Seed:
    """A headline the team wrote, with its labels (``seed_examples.yaml``)."""

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
    # The seed files of its layers, lowest first (training reads them: sidefiles.seeds_for).
    seed_files: tuple[Path, ...] = field(default=(), repr=False, compare=False)
    _techs_by_id: dict[str, Tech] = field(init=False, repr=False, compare=False)
    _quadrants_by_id: dict[str, Quadrant] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = semantic_problems(self.quadrants, list(enumerate(self.techs)), self.exclude)
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

    def name(self, tech_id: str, lang: str) -> str:
        """Its name in ``lang`` ("ja", else English); its id once dropped (old editions keep it)."""
        tech = self._techs_by_id.get(tech_id)
        return tech_id if tech is None else tech.name_ja if lang == "ja" else tech.name_en

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


def tech_label(index: int, tech_id: str | None) -> str:
    """How a problem names a technology entry: its place in the file, and its id if known."""
    return f"techs[{index}] (id {tech_id!r})" if tech_id else f"techs[{index}]"


def semantic_problems(
    quadrants: Iterable[Quadrant],
    indexed_techs: Sequence[tuple[int, Tech]],
    exclude: Sequence[str] = (),
) -> list[str]:
    """Check ids, quadrants, names and aliases of well-typed entries.

    Shared by the loader (which prefixes the file), the appender and ``Taxonomy``
    itself, so a taxonomy built in code obeys the same rules as one read from disk.
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
        label = tech_label(index, tech.id)
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
        if tech.kind not in KINDS:
            problems.append(f"{label}: kind {tech.kind!r} is not one of {', '.join(KINDS)}")
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
                    f"of {tech_label(owner[0], owner[1])}"
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
                f"of {tech_label(owner[0], owner[1])}"
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
        label = tech_label(index, tech.id)
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
