"""What the radar calls things, in Japanese and English: one place for every surface.

Pure. Ring and movement names belong to the radar's own rules, so they live here; quadrant
and technology names are configured in the taxonomy, so they are read from it. The chart, the
app, the digest, the BYOR export and the CLI all name things through these functions, so a
rename is made once and every surface says the same. Japanese only when asked for; any other
language reads English.
"""

from __future__ import annotations

from radar.classify.taxonomy import Taxonomy

LANGUAGES = {"ja": "日本語", "en": "English"}
"""Reader languages, each named in itself (the app's language pickers show these)."""

RING_NAMES = {
    "adopt": ("採用", "Adopt"), "trial": ("試行", "Trial"),
    "assess": ("評価", "Assess"), "hold": ("保留", "Hold"),
}  # fmt: skip
MOVEMENT_NAMES = {
    "new": ("新規", "New"), "moved in": ("内側へ移動", "Moved in"),
    "moved out": ("外側へ移動", "Moved out"), "unchanged": ("変化なし", "No change"),
}  # fmt: skip


def in_lang(ja: str, en: str, lang: str) -> str:
    """Pick the reader's text of a (Japanese, English) pair."""
    return ja if lang == "ja" else en


def ring_name(ring: str, lang: str) -> str:
    """A ring's name; its id when unknown, so a new ring shows rather than breaks."""
    return in_lang(*RING_NAMES[ring], lang) if ring in RING_NAMES else ring


def movement_name(movement: str, lang: str) -> str:
    """A movement's name ('moved in' is toward Adopt); its id when unknown."""
    return in_lang(*MOVEMENT_NAMES[movement], lang) if movement in MOVEMENT_NAMES else movement


def quadrant_name(taxonomy: Taxonomy, quadrant_id: str, lang: str) -> str:
    """A quadrant's name from the taxonomy; its id when the taxonomy no longer has it."""
    found = next((q for q in taxonomy.quadrants if q.id == quadrant_id), None)
    return in_lang(found.name_ja, found.name_en, lang) if found else quadrant_id


def tech_name(taxonomy: Taxonomy, tech_id: str, lang: str) -> str:
    """A technology's name; its id when the taxonomy no longer has it (old editions)."""
    if tech_id not in taxonomy:
        return tech_id
    tech = taxonomy.tech(tech_id)
    return in_lang(tech.name_ja, tech.name_en, lang)


def tech_names(taxonomy: Taxonomy, tech_id: str) -> dict[str, str]:
    """``name_ja`` and ``name_en`` of a technology, for rows shown in either language."""
    return {f"name_{lang}": tech_name(taxonomy, tech_id, lang) for lang in LANGUAGES}
