"""Staff edits beside the store, layered over the shipped taxonomy files.

The shipped ``taxonomy.yaml``, ``topic_terms.yaml`` and ``seed_examples.yaml`` are defaults
that an upgrade replaces, and may sit in a read-only install, so staff never edit them. Their
additions live in a ``staff/`` folder beside the SQLite file, in the same formats::

    data/radar.db
    data/staff/taxonomy.yaml        techs (a shipped id replaces that entry; others are added)
                                    and exclude phrases (added)
    data/staff/topic_terms.yaml     terms per quadrant (added; a term listed again moves here)
    data/staff/seed_examples.yaml   headlines (added; the same headline takes the staff label)

Files rather than tables: staff can read, diff, back up and hand-edit them, and the folder is
the staff-only export; they travel with the store, so an upgrade of the package keeps them.

Layers, lowest first: the base (``classify.taxonomy``, else the shipped file) with its side
files (``sidefiles.side_file``), then the staff folder. When an upgrade gives a shipped entry
an alias staff gave their own technology, the staff layer wins: the shipped entry loses that
alias (logged once) instead of the radar refusing to start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from radar.settings import Settings
from radar.taxonomy.load import load_taxonomy, parse_layer, read_text, with_topic_terms
from radar.taxonomy.model import Taxonomy, TaxonomyError, Tech, alias_key, semantic_problems
from radar.taxonomy.sidefiles import (
    SEEDS_FILE,
    TOPIC_TERMS_FILE,
    load_topic_terms,
    merge_topic_terms,
    warn_once,
)

STAFF_DIR = "staff"
TAXONOMY_FILE = "taxonomy.yaml"


@dataclass(frozen=True)
class Layers:
    """Where each layer is read from. ``staff`` None: no staff layer (tests, benchmarks)."""

    staff: Path | None = None
    base: Path | None = None  # classify.taxonomy; None: the shipped file
    topic_terms: Path | None = None  # classify.topic_terms; None: beside base, else shipped
    seed_examples: Path | None = None  # classify.seed_examples; likewise

    def staff_file(self, name: str) -> Path:
        """A file of the staff folder (which may not exist yet)."""
        if self.staff is None:
            raise TaxonomyError("no staff folder: the settings name no store")
        return self.staff / name


def staff_dir(db_path: Path) -> Path:
    """The staff folder of the store at ``db_path``: beside it, so it moves and backs up with it."""
    return Path(db_path).parent / STAFF_DIR


def layers_for(settings: Settings) -> Layers:
    """The layers the settings name: configured base and side files, the store's staff folder."""
    return Layers(
        staff=staff_dir(settings.db_path), base=settings.taxonomy_path,
        topic_terms=settings.topic_terms_path, seed_examples=settings.seed_examples_path,
    )  # fmt: skip


def taxonomy_for(settings: Settings) -> Taxonomy:
    """The taxonomy every shell uses: base files with the store's staff edits on top."""
    return load_layered(layers_for(settings))


def load_layered(layers: Layers) -> Taxonomy:
    """Read the base, then put the staff folder's files (those that exist) on top."""
    base = load_taxonomy(
        layers.base, topic_terms=layers.topic_terms, seed_examples=layers.seed_examples
    )
    if layers.staff is None:
        return base
    techs: tuple[Tech, ...] = ()
    exclude: tuple[str, ...] = ()
    staff_taxonomy = layers.staff_file(TAXONOMY_FILE)
    if staff_taxonomy.exists():
        techs, exclude = parse_layer(read_text(staff_taxonomy), str(staff_taxonomy))
    merged = merge_layer(base, techs, exclude, str(staff_taxonomy))
    quadrant_ids = tuple(q.id for q in merged.quadrants)
    staff_terms = load_topic_terms(layers.staff_file(TOPIC_TERMS_FILE), quadrant_ids)
    seeds = layers.staff_file(SEEDS_FILE)
    merged = replace(merged, seed_files=(*base.seed_files, *((seeds,) if seeds.exists() else ())))
    return with_topic_terms(merged, merge_topic_terms(base.topic_terms, staff_terms))


def staff_tech_ids(layers: Layers) -> frozenset[str]:
    """The ids the staff folder adds or replaces, so listings can mark them."""
    path = None if layers.staff is None else layers.staff_file(TAXONOMY_FILE)
    if path is None or not path.exists():
        return frozenset()
    return frozenset(t.id for t in parse_layer(read_text(path), str(path))[0])


def merge_layer(
    base: Taxonomy, techs: Sequence[Tech], exclude: Sequence[str], source: str
) -> Taxonomy:
    """``base`` with a staff layer on top: same id replaces in place, new ids are appended.

    Spellings the layer claims (its aliases and exclude phrases) are taken from the base's
    entries. Raises TaxonomyError naming ``source`` when the layer breaks a rule.
    """
    staff_by_id = {tech.id: (i, tech) for i, tech in enumerate(techs)}
    claimed = {alias_key(a) for t in techs for a in t.aliases} | {alias_key(p) for p in exclude}
    base_name = Path(base.path).name if base.path else "base"
    merged: list[Tech] = []
    origins: list[str] = []  # how a problem names each merged entry
    for index, tech in enumerate(base.techs):
        if tech.id in staff_by_id:
            staff_index, tech = staff_by_id.pop(tech.id)
            origins.append(f"techs[{staff_index}]")
        else:
            tech = _without(tech, claimed, base_name)
            if tech is None:
                continue
            origins.append(f"{base_name} techs[{index}]")
        merged.append(tech)
    for staff_index, tech in staff_by_id.values():
        merged.append(tech)
        origins.append(f"techs[{staff_index}]")
    kept = tuple(p for p in base.exclude if alias_key(p) not in claimed)
    all_exclude = (*kept, *(p for p in exclude if p not in kept))
    problems = semantic_problems(base.quadrants, list(enumerate(merged)), all_exclude)
    if problems:
        raise TaxonomyError([f"{source}: {_relabel(p, origins)}" for p in problems])
    return replace(base, techs=tuple(merged), exclude=all_exclude)


def _without(tech: Tech, claimed: set[str], base_name: str) -> Tech | None:
    """A base entry without the spellings the staff layer claims; None if none are left."""
    lost = [a for a in tech.aliases if alias_key(a) in claimed]
    if not lost:
        return tech
    aliases = tuple(a for a in tech.aliases if a not in lost)
    if not aliases:
        warn_once(f"{base_name}: {tech.id!r} dropped: staff technologies use all its aliases")
        return None
    warn_once(f"{base_name}: {tech.id!r} loses {', '.join(lost)}: a staff technology uses them")
    return replace(
        tech, aliases=aliases,
        case_sensitive=tuple(a for a in tech.case_sensitive if a in aliases),
        ja_only=tuple(a for a in tech.ja_only if a in aliases),
    )  # fmt: skip


_INDEX_RE = re.compile(r"techs\[(\d+)\]")


def _relabel(problem: str, origins: Sequence[str]) -> str:
    """Name each entry by its place in its own file, not in the merged list."""
    return _INDEX_RE.sub(lambda found: origins[int(found[1])], problem)
