"""Explain a placement in plain words, in Japanese and English.

Pure. Each reason names the evidence (weeks covered, independent sources, adoption news,
spike shape) and carries the points it adds to or takes from the score.
"""

from __future__ import annotations

from typing import Any

TEXT_READING_MARGIN = 0.15  # the text model's mean reading must be this far from neutral


def _reason(code: str, ja: str, en: str, points: float = 0.0) -> dict[str, Any]:
    return {"code": code, "ja": ja, "en": en, "points": points}


def explain_placement(
    features: dict[str, float], evidence: dict[str, int], points: dict[str, float]
) -> list[dict[str, Any]]:
    """Reasons for one technology-week, strongest first."""
    weeks, sources = evidence["weeks26"], evidence["sources26"]
    items, before = evidence["items26"], evidence["items_prev26"]
    persistence = points.get("persistence26", 0.0) + points.get("persistence52", 0.0)
    found = [
        _reason("persistence", f"過去26週のうち{weeks}週で言及",
                f"Mentioned in {weeks} of the last 26 weeks", persistence),
        _reason("sources", f"{sources}の独立した媒体", f"{sources} independent sources",
                points.get("log_sources26", 0.0)),
    ]  # fmt: skip
    if items >= 2 * max(before, 1) and items >= 6:
        found.append(_reason("growth", f"言及が増加（前の26週の{before}件から{items}件）",
                             f"Coverage growing ({before} → {items} items vs the 26 weeks before)",
                             points.get("slope26", 0.0)))  # fmt: skip
    elif before >= 2 * max(items, 1) and before >= 6:
        found.append(_reason("decline", f"言及が減少（{before}件から{items}件）",
                             f"Coverage falling ({before} → {items} items)",
                             points.get("slope26", 0.0)))  # fmt: skip
    if features["peak_share52"] >= 0.35 and items >= 3:
        share = round(features["peak_share52"] * 100)
        found.append(_reason("spike", f"一時的な急増（1年の言及の{share}%が1週に集中）",
                             f"A single spike ({share}% of a year's mentions in one week)",
                             points.get("peak_share52", 0.0)))  # fmt: skip
    if evidence["adoption26"] >= 2 and evidence["adoption26"] > evidence["hype26"]:
        found.append(_reason("adoption", f"導入・調達の記事が{evidence['adoption26']}件",
                             f"{evidence['adoption26']} adoption or procurement items",
                             points.get("adoption_share26", 0.0)))  # fmt: skip
    if evidence["hype26"] >= 2 and evidence["hype26"] >= evidence["adoption26"]:
        found.append(_reason("hype", f"話題先行の記事が{evidence['hype26']}件",
                             f"{evidence['hype26']} hype-style items",
                             points.get("hype_share26", 0.0)))  # fmt: skip
    reading = features.get("text_staying26", 0.5)
    if items >= 5 and abs(reading - 0.5) >= TEXT_READING_MARGIN:
        percent = round(reading * 100)
        found.append(
            _reason("text-standard", f"記事の書きぶりは定着・標準寄り(文章モデル{percent}%)",
                    f"Its items read like a lasting standard (text model {percent}%)",
                    points.get("text_staying26", 0.0))
            if reading > 0.5 else
            _reason("text-fad", f"記事の書きぶりは一過性の話題寄り(文章モデル{percent}%)",
                    f"Its items read like a passing fad (text model {percent}%)",
                    points.get("text_staying26", 0.0))
        )  # fmt: skip
    if features["bilingual26"]:
        found.append(_reason("bilingual", "日本語と英語の両方で報道",
                             "Covered in Japanese and English",
                             points.get("bilingual26", 0.0)))  # fmt: skip
    if items < 5:
        found.append(_reason("little-evidence", "根拠となる記事が少ない（評価中に留める）",
                             "Little evidence yet (kept in Assess)"))  # fmt: skip
    return sorted(found, key=lambda r: -abs(r["points"]))
