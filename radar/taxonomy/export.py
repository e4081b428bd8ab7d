"""The merged taxonomy (shipped defaults with staff edits on top) as three plain YAML files.

The export is exactly the layout a base taxonomy is read from (``taxonomy.yaml`` with
``topic_terms.yaml`` and ``seed_examples.yaml`` beside it), so another office, or this one after
a move, can point ``classify.taxonomy`` at it and get the same radar. The staff-only view needs
no export: it is the ``staff/`` folder beside the store, already plain YAML.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import yaml

from radar.taxonomy.model import Seed, Taxonomy, Tech, TopicTerms
from radar.taxonomy.sidefiles import SEEDS_FILE, TOPIC_TERMS_FILE

HEADER = (
    "# Trend Radar: the shipped {name} with staff edits merged (`radar techs export`).\n"
    "# 同梱の {name} に職員の変更を重ねたもの。classify.taxonomy でこのフォルダーの\n"
    "# taxonomy.yaml を指定すると、そのまま使えます。\n"
)


def export_files(taxonomy: Taxonomy, seeds: Iterable[Seed]) -> dict[str, str]:
    """File name to YAML text for the merged taxonomy, its topic terms and seed examples."""
    documents = {
        "taxonomy.yaml": taxonomy_document(taxonomy),
        TOPIC_TERMS_FILE: topic_terms_document(taxonomy.topic_terms),
        SEEDS_FILE: seeds_document(seeds),
    }
    return {name: HEADER.format(name=name) + _dump(doc) for name, doc in documents.items()}


def taxonomy_document(taxonomy: Taxonomy) -> dict[str, Any]:
    """The taxonomy as taxonomy.yaml holds it (optional fields only when set)."""
    return {
        "quadrants": [dataclasses.asdict(q) for q in taxonomy.quadrants],
        "exclude": list(taxonomy.exclude),
        "techs": [tech_document(t) for t in taxonomy.techs],
    }


def tech_document(tech: Tech) -> dict[str, Any]:
    """One technology entry: every field, optional ones only when they differ from the default."""
    entry: dict[str, Any] = {}
    for field in dataclasses.fields(tech):
        value = getattr(tech, field.name)
        if field.name == "series" and value:  # pairs in the model, a mapping in the file
            entry["series"] = {key: list(terms) for key, terms in value}
        elif value != _default(field):  # a required field's default is MISSING: always kept
            entry[field.name] = _plain(value)
    return entry


def topic_terms_document(terms: TopicTerms) -> dict[str, Any]:
    """Topic terms as topic_terms.yaml holds them."""
    document: dict[str, Any] = {q: list(words) for q, words in terms.by_quadrant}
    if terms.case_sensitive:
        document["case_sensitive"] = sorted(terms.case_sensitive)
    return document


def seeds_document(seeds: Iterable[Seed]) -> dict[str, Any]:
    """Seed examples as seed_examples.yaml holds them: quadrant, then relevant and other."""
    document: dict[str, dict[str, list[str]]] = {}
    for seed in seeds:
        groups = document.setdefault(seed.quadrant or "none", {"relevant": [], "other": []})
        groups["relevant" if seed.relevant else "other"].append(seed.title)
    return document


def _default(field: dataclasses.Field) -> Any:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def _plain(value: Any) -> Any:
    """Tuples as lists and dataclasses as mappings, so YAML writes plain lists and mappings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
