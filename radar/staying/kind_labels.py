"""Every string of the kind-aware ring display, in Japanese and English, in one place.

Pure. A ring is a recommendation, so a threat or a policy is shown under ring names that fit
what staff should do about it (never "Adopt"), and a technology whose evidence is too thin to
judge is marked as such instead of looking like a verdict. The CLI, the BYOR export, the app
and the digest all take their words from here; they sit beside the ring rule they name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from radar.labels import ring_name
from radar.staying.reasons import reason, render_reason
from radar.staying.rings import DECLINE_FROM, THIN_EVIDENCE, coverage_declined

KIND_NAMES = {
    "technology": {"ja": "技術", "en": "Technology"},
    "product": {"ja": "製品・サービス", "en": "Product or service"},
    "practice": {"ja": "手法・慣行", "en": "Practice"},
    "policy": {"ja": "政策・標準", "en": "Policy or standard"},
    "threat": {"ja": "脅威", "en": "Threat"},
}
# Ring names for the kinds that are tracked rather than adopted (rings.TRACKED_KINDS).
KIND_RING_NAMES = {
    "threat": {
        "trial": {"ja": "対策を優先", "en": "Defend now"},
        "assess": {"ja": "注視", "en": "Watch"},
        "hold": {"ja": "沈静化", "en": "Subsiding"},
    },
    "policy": {
        "trial": {"ja": "対応を準備", "en": "Prepare"},
        "assess": {"ja": "注視", "en": "Watch"},
        "hold": {"ja": "停滞", "en": "Stalled"},
    },
}
# No brackets inside: the name is itself shown in brackets after a technology's name.
THIN_NAME = {"ja": "根拠不足で判断保留", "en": "Too thin to judge"}
STANCE_MARKS = {"for": "✓", "against": "✗", "note": "·"}
STANCE_NAMES = {
    "for": {"ja": "配置の根拠", "en": "For this placement"},
    "against": {"ja": "反対の材料", "en": "Against this placement"},
    "note": {"ja": "注記", "en": "Note"},
}


def blip_kind(blip: Mapping[str, Any]) -> str:
    """The kind a stored blip was placed as (older editions: technology)."""
    return blip.get("evidence", {}).get("kind", "technology")


def blip_thin(blip: Mapping[str, Any]) -> bool:
    """Whether a stored blip's evidence was too thin to judge."""
    return bool(blip.get("evidence", {}).get("thin", False))


def kind_ring_name(ring: str, kind: str, lang: str, thin: bool = False) -> str | None:
    """The name to show instead of the plain ring name, or None to show the plain one."""
    if thin:
        return THIN_NAME[lang]
    return KIND_RING_NAMES.get(kind, {}).get(ring, {}).get(lang)


def ring_suffix(blip: Mapping[str, Any], lang: str) -> str:
    """ " (Defend now)" / "（対策を優先）" to put after a ring or a name; "" for plain ones."""
    shown = kind_ring_name(blip["ring"], blip_kind(blip), lang, blip_thin(blip))
    if not shown:
        return ""
    return f"（{shown}）" if lang == "ja" else f" ({shown})"


def shown_ring(blip: Mapping[str, Any], lang: str) -> str:
    """The ring's name with a threat's, a policy's or thin evidence's own name after it."""
    return ring_name(blip["ring"], lang) + ring_suffix(blip, lang)


def kind_name(kind: str, lang: str) -> str:
    """The kind's name in ``lang``."""
    return KIND_NAMES.get(kind, KIND_NAMES["technology"])[lang]


def thin_reason(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """Why the evidence is too thin, which sources it rests on, and what would settle it."""
    items, sources, weeks = evidence["items26"], evidence["sources26"], evidence["weeks26"]
    names = ", ".join(evidence.get("source_names", [])[:3]) or "—"
    need = THIN_EVIDENCE
    ja_needs, en_needs = [], []
    if sources < need["sources26"]:
        ja_needs.append("別の独立した媒体（または利用実績の系列）での言及")
        en_needs.append("coverage by another independent source (or an adoption series)")
    if items < need["items26"]:
        ja_needs.append(f"{need['items26']}件以上の記事")
        en_needs.append(f"{need['items26']}+ items")
    if weeks < need["weeks26"]:
        ja_needs.append(f"{need['weeks26']}週以上にわたる言及")
        en_needs.append(f"mentions in {need['weeks26']}+ weeks")
    return reason(
        "thin", items=items, weeks=weeks, sources=sources, names=names,
        needs_ja="、".join(ja_needs), needs_en=", ".join(en_needs),
    )  # fmt: skip


def decline_reason(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence of decline behind a Hold: coverage before and now in continuing sources.

    Where coverage held but the adoption series fell, that fall is the evidence.
    """
    if not coverage_declined(evidence) and evidence.get("series_declined"):
        return reason(
            "series-decline", pct=round(100 * (evidence.get("series_ratio") or 0.0)),
            names_en=", ".join(evidence.get("series_names", [])),
            names_ja="、".join(evidence.get("series_names_ja", [])),
        )  # fmt: skip
    then, now, n = evidence["then26"], evidence["now26"], evidence["continuing"]
    return reason("hold-decline", then=then, now=now, n=n, level=DECLINE_FROM)


def reason_line(stored: Mapping[str, Any], lang: str) -> str:
    """One reason with its stance mark (✓ for, ✗ against the placement, · a note)."""
    if "stance" not in stored:  # built before reasons had a stance: shown as it was
        return render_reason(stored, lang)
    return f"{STANCE_MARKS.get(stored['stance'], '·')} {render_reason(stored, lang)}"
