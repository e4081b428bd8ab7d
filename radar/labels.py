"""What the radar calls things, in Japanese and English: one place for chart, app, digest and CLI.

Pure. Ring and movement names follow from the radar's rules, so they live here; quadrant and
technology names are configured in the taxonomy and read from it. Unknown ids show as
themselves (an old edition outlives a renamed taxonomy); any language but ja reads English.
"""

from __future__ import annotations

from radar.taxonomy.model import Taxonomy

LANGUAGES = {"ja": "日本語", "en": "English"}  # each named in itself, for language pickers
RING_NAMES = {
    "adopt": ("採用", "Adopt"), "trial": ("試行", "Trial"),
    "assess": ("評価", "Assess"), "hold": ("保留", "Hold"),
}  # fmt: skip
MOVEMENT_NAMES = {
    "new": ("新規", "New"), "moved in": ("内側へ移動", "Moved in"),
    "moved out": ("外側へ移動", "Moved out"), "unchanged": ("変化なし", "No change"),
}  # fmt: skip


def in_lang(ja: str, en: str, lang: str) -> str:
    return ja if lang == "ja" else en


def ring_name(ring: str, lang: str) -> str:
    return in_lang(*RING_NAMES.get(ring, (ring, ring)), lang)


def movement_name(movement: str, lang: str) -> str:
    return in_lang(*MOVEMENT_NAMES.get(movement, (movement, movement)), lang)


def quadrant_name(taxonomy: Taxonomy, quadrant_id: str | None, lang: str) -> str:
    """A quadrant's name; "—" when there is none (an item about no technology)."""
    found = next((q for q in taxonomy.quadrants if q.id == quadrant_id), None)
    return in_lang(found.name_ja, found.name_en, lang) if found else quadrant_id or "—"


def tech_name(taxonomy: Taxonomy, tech_id: str, lang: str) -> str:
    return taxonomy.name(tech_id, lang)
