"""Explain a placement in plain words: stored as a code, written out in the reader's language.

Pure. Each reason names the evidence (weeks covered, independent sources, adoption news, spike
shape) and carries the points it adds to or takes from the score; its wording lives in
:data:`REASONS` alone, and only :func:`render_reason` writes it out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from radar.labels import in_lang

TEXT_READING_MARGIN = 0.15  # the text model's mean reading must be this far from neutral

REASONS: dict[str, tuple[str, str]] = {
    "persistence": ("過去26週のうち{weeks}週で言及", "Mentioned in {weeks} of the last 26 weeks"),
    "sources": ("独立した{n}媒体が報道", "{n} independent sources"),
    "growth": ("言及が増加（前の26週の{before}件から{items}件）",
               "Coverage growing ({before} → {items} items vs the 26 weeks before)"),
    "decline": ("言及が減少（{before}件から{items}件）",
                "Coverage falling ({before} → {items} items)"),
    "spike": ("一時的な急増（1年の言及の{pct}%が1週に集中）",
              "A single spike ({pct}% of a year's mentions in one week)"),
    "adoption": ("導入・調達の記事が{n}件", "{n} adoption or procurement items"),
    "hype": ("話題先行の記事が{n}件", "{n} hype-style items"),
    "text-standard": ("記事の書きぶりは定着・標準寄り(文章モデル{pct}%)",
                      "Its items read like a lasting standard (text model {pct}%)"),
    "text-fad": ("記事の書きぶりは一過性の話題寄り(文章モデル{pct}%)",
                 "Its items read like a passing fad (text model {pct}%)"),
    "bilingual": ("日本語と英語の両方で報道", "Covered in Japanese and English"),
    "little-evidence": ("根拠となる記事が少ない（評価中に留める）",
                        "Little evidence yet (kept in Assess)"),
    "staff": ("職員の判断: {comment}（{by}）", "Staff decision: {comment} ({by})"),
    "thin": ("根拠が少なく判断できない: 直近26週で{items}件・{weeks}週・{sources}媒体（{names}）。"
             "判断に必要なもの: {needs_ja}",
             "Evidence too thin to judge: {items} items in {weeks} of 26 weeks from {sources}"
             " source(s) ({names}); would settle it: {needs_en}"),
    "hold-decline": ("掲載を続ける{n}媒体での言及が半年あたり{then:g}件から{now:g}件に減少"
                     "（かつて{level:g}件以上あった水準からの低下）",
                     "Coverage fell from {then:g} to {now:g} items per half-year in the {n}"
                     " source(s) still publishing (from a real level of {level:g}+)"),
    "series-rising": ("{name_ja}が{years}年連続で増加", "{name_en} up {years} years in a row"),
    "series-fell": ("{name_ja}が{year}年のピークから{pct}%減少",
                    "{name_en} fell {pct}% from their {year} peak"),
    "attention-gap": ("注目（{attention_ja}）は1年で{pct}%増えたが、利用実績の系列は伸びていない",
                      "Attention ({attention_en}) up {pct}% in a year while adoption series"
                      " are not growing"),
    "series-decline": ("利用実績の系列が1年で前年の{pct}%に減少（{names_ja}）",
                       "Adoption series fell to {pct}% of their level a year before"
                       " ({names_en})"),
    "legacy": ("{ja}", "{en}"),  # texts stored before reasons had codes (008_reason_codes)
}  # fmt: skip


def reason(code: str, points: float = 0.0, **params: Any) -> dict[str, Any]:
    """A stored reason: its code in :data:`REASONS`, the values it names, its points."""
    return {"code": code, "params": params, "points": points}


def render_reason(stored: Mapping[str, Any], lang: str) -> str:
    """A stored reason in ``lang``; a code this release does not know shows as itself."""
    code = stored["code"]
    return in_lang(*REASONS.get(code, (code, code)), lang).format(**stored.get("params", {}))


def explain_placement(
    features: dict[str, float], evidence: dict[str, int], points: dict[str, float]
) -> list[dict[str, Any]]:
    """Reasons for one technology-week, strongest first."""
    weeks, sources = evidence["weeks26"], evidence["sources26"]
    items, before = evidence["items26"], evidence["items_prev26"]
    adoption, hype = evidence["adoption26"], evidence["hype26"]
    pts = defaultdict(float, points)
    found = [
        reason("persistence", pts["persistence26"] + pts["persistence52"], weeks=weeks),
        reason("sources", pts["log_sources26"], n=sources),
    ]
    if items >= 2 * max(before, 1) and items >= 6:
        found.append(reason("growth", pts["slope26"], before=before, items=items))
    elif before >= 2 * max(items, 1) and before >= 6:
        found.append(reason("decline", pts["slope26"], before=before, items=items))
    if features["peak_share52"] >= 0.35 and items >= 3:
        share = round(features["peak_share52"] * 100)
        found.append(reason("spike", pts["peak_share52"], pct=share))
    if adoption >= 2 and adoption > hype:
        found.append(reason("adoption", pts["adoption_share26"], n=adoption))
    if hype >= 2 and hype >= adoption:
        found.append(reason("hype", pts["hype_share26"], n=hype))
    reading = features.get("text_staying26", 0.5)
    if items >= 5 and abs(reading - 0.5) >= TEXT_READING_MARGIN:
        code = "text-standard" if reading > 0.5 else "text-fad"
        found.append(reason(code, pts["text_staying26"], pct=round(reading * 100)))
    if features["bilingual26"]:
        found.append(reason("bilingual", pts["bilingual26"]))
    if items < 5:
        found.append(reason("little-evidence"))
    return sorted(found, key=lambda r: -abs(r["points"]))
