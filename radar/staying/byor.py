"""Build-Your-Own-Radar (Thoughtworks BYOR) CSV/JSON: export our editions, import hand-made radars.

Pure. BYOR reads rows of name, ring, quadrant, isNew, description; exporting ours lets staff open
it in those tools, and importing a hand-made radar loads its placements as staff decisions.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from radar.labels import quadrant_name, tech_name
from radar.staying.kind_labels import blip_kind, blip_thin, kind_name, kind_ring_name, reason_line
from radar.staying.rings import RINGS
from radar.taxonomy.model import Taxonomy

FIELDS = ("name", "ring", "quadrant", "isNew", "description")


def to_byor(blips: Iterable[dict[str, Any]], taxonomy: Taxonomy, lang: str = "en") -> list[dict]:
    """Edition rows in BYOR shape; the description is our reasons, in ``lang``."""
    return [
        {
            "name": tech_name(taxonomy, blip["tech_id"], lang),
            "ring": blip["ring"].capitalize(),  # BYOR tools read the English ring names
            "quadrant": quadrant_name(taxonomy, blip["quadrant"], lang),
            "isNew": "TRUE" if blip["movement"] == "new" else "FALSE",
            "description": _marker(blip, lang)
            + " / ".join(reason_line(r, lang) for r in blip["reasons"][:3]),
        }
        for blip in blips
    ]


def _marker(blip: dict[str, Any], lang: str) -> str:
    """BYOR tools draw exactly four rings, so a threat's, a policy's or thin evidence's own
    name goes first in the description instead (the ring itself is never Adopt for them)."""
    kind = blip_kind(blip)
    shown = kind_ring_name(blip["ring"], kind, lang, blip_thin(blip))
    if not shown:
        return ""
    prefix = kind_name(kind, lang) + ": " if kind != "technology" else ""
    return f"[{prefix}{shown}] "


def dumps(rows: list[dict], fmt: str) -> str:
    """Serialise BYOR rows as ``csv`` or ``json``."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def loads(text: str) -> list[dict[str, str]]:
    """Read BYOR rows from CSV or JSON text (detected by the first character)."""
    if text.lstrip().startswith("["):
        return [{k: str(v) for k, v in row.items()} for row in json.loads(text)]
    return list(csv.DictReader(io.StringIO(text)))


def tech_resolver(
    taxonomy: Taxonomy, find: Callable[[str], list[str]]
) -> Callable[[str], str | None]:
    """Map a radar's blip name to one of our technologies (id, name, or a single alias hit)."""
    by_name = {key.casefold(): tech.id for tech in taxonomy.techs
               for key in (tech.id, tech.name_en, tech.name_ja)}  # fmt: skip

    def resolve(name: str) -> str | None:
        name = name.strip()
        if name.casefold() in by_name:
            return by_name[name.casefold()]
        found = find(name) if name else []
        return found[0] if len(found) == 1 else None

    return resolve


def match_rows(
    rows: Iterable[dict[str, str]], taxonomy: Taxonomy, find: Callable[[str], list[str]]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Map rows to (tech id, ring, comment); return them and the names we could not place."""
    resolve = tech_resolver(taxonomy, find)
    matched, unknown = [], []
    for row in rows:
        name = (row.get("name") or "").strip()
        ring = (row.get("ring") or "").strip().lower()
        tech_id = resolve(name)
        if tech_id is None or ring not in RINGS:
            unknown.append(name or "(no name)")
            continue
        comment = (row.get("description") or "").strip() or "imported from a hand-made radar"
        matched.append((tech_id, ring, comment[:300]))
    return matched, unknown
