"""Place a technology in a ring from its score, its evidence and its kind: the ring policy.

Pure. The rules (documented in the README, "How a technology is placed"):

* Adopt: P >= 0.85, and at least 15 items from 3+ sources (every source publishing, at least
  2, where fewer than 3 publish at all) in 13+ of the last 26 weeks: a standard now;
* Trial: P >= 0.50, and at least 6 items from 2+ sources in 4+ of the last 26 weeks;
* Hold:  coverage has fallen (``decline_at``): the sources still publishing carried at least
  10 items per half-year in the year before, and now carry at most half of that; or the
  adoption series (jobs, questions, code) fell to at most half their level of a year before
  (``series_signals.series_evidence``); and P < 0.50.
  Hold is evidence of decline, never "few items this half-year". Falling coverage with a
  high score is Assess: contested, never a recommendation to adopt or try;
* Assess: everything else: promising but unproven, or neither rising nor falling.

Adoption series that hold their level count as independent sources beside the feeds (one per
platform: GitHub pushes and pull requests are one source), so a technology with strong
adoption series is not stuck in Assess because only one headline source remains.

"Evidence too thin to judge" is a separate marker, not a ring: fewer than 6 items, or a single
source, or coverage in fewer than 3 weeks, with no measurable decline. Such a technology sits
in Assess and is shown as thin (which sources, what would settle it), never as Hold.

Kinds: a threat or a policy is tracked, not adopted, so its ring is capped at Trial (shown
under names that fit, e.g. "Defend now" / "Prepare", by ``kind_labels``). A staff override is
capped the same way: "Adopt ransomware" cannot be recorded by accident.

A reason is shown as *for* or *against* the placement (``stance``): a sign of lasting (steady
coverage, adoption news) is for Adopt, Trial and Assess and against Hold; a sign of fading
is the reverse. It is never listed as support for the opposite ring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

RINGS = ("adopt", "trial", "assess", "hold")
ADOPT_AT, TRIAL_AT = 0.85, 0.50
ADOPT_EVIDENCE = {"items26": 15, "sources26": 3, "weeks26": 13}
TRIAL_EVIDENCE = {"items26": 6, "sources26": 2, "weeks26": 4}
THIN_EVIDENCE = {"items26": 6, "sources26": 2, "weeks26": 3}  # below any of these: too thin
DECLINE_FROM = 10.0  # items per half-year in continuing sources: a level that was once real
DECLINE_TO = 0.5  # fallen to at most this share of it
TRACKED_KINDS = frozenset({"threat", "policy"})  # tracked on the radar, never adopted


def _meets(evidence: Mapping[str, Any], needed: Mapping[str, int], *, series: bool = True) -> bool:
    # Adoption series (jobs, questions, code; series_signals.series_evidence) that hold their
    # level count as independent sources beside the feeds, for Trial and for "thin". Adopt
    # ("a standard now") also needs the breadth of independent coverage itself: growing
    # package downloads and articles by early users, covered by two specialist outlets, are
    # the mark of a technology to try, not yet of a standard (``series=False``).
    sources = evidence.get("sources26", 0) + (evidence.get("series_sources", 0) if series else 0)
    counted = {**evidence, "sources26": sources}
    return all(counted.get(key, 0) >= least for key, least in needed.items())


def _adopt_evidence(evidence: Mapping[str, Any]) -> dict[str, int]:
    """Adopt's bar; where fewer than 3 sources publish at all, every one of them (at least 2)."""
    active = evidence.get("active26", ADOPT_EVIDENCE["sources26"])
    sources = max(TRIAL_EVIDENCE["sources26"], min(ADOPT_EVIDENCE["sources26"], active))
    return {**ADOPT_EVIDENCE, "sources26": sources}


def coverage_declined(evidence: Mapping[str, Any]) -> bool:
    """Coverage fell from a real level in the sources that still publish (see decline_at)."""
    then, now = evidence.get("then26", 0.0), evidence.get("now26", 0.0)
    return then >= DECLINE_FROM and now <= DECLINE_TO * then


def declined(evidence: Mapping[str, Any]) -> bool:
    """Measured decline: of coverage, or of the adoption series (fell to half in a year)."""
    return coverage_declined(evidence) or bool(evidence.get("series_declined", False))


def is_thin(evidence: Mapping[str, Any]) -> bool:
    """Too little evidence to judge either way (and no measurable decline)."""
    return not _meets(evidence, THIN_EVIDENCE) and not declined(evidence)


def cap_for_kind(ring: str, kind: str) -> str:
    """A threat or a policy never takes Adopt: it is tracked, and Trial is its closest ring."""
    return "trial" if ring == "adopt" and kind in TRACKED_KINDS else ring


def place(probability: float, evidence: Mapping[str, Any], kind: str = "technology") -> str:
    """The ring for a score, its evidence counts and the technology's kind."""
    if declined(evidence):  # falling coverage is never a recommendation to adopt or try
        return "hold" if probability < TRIAL_AT else "assess"
    if probability >= ADOPT_AT and _meets(evidence, _adopt_evidence(evidence), series=False):
        return cap_for_kind("adopt", kind)
    if probability >= TRIAL_AT and _meets(evidence, TRIAL_EVIDENCE):
        return "trial"
    return "assess"


# Which way a reason points, by code: +1 a sign of lasting, -1 a sign of fading. Codes not
# listed point the way their points do (persistence, sources: few weeks cost points).
REASON_DIRECTION = {
    "growth": 1, "adoption": 1, "text-standard": 1, "bilingual": 1,
    "decline": -1, "spike": -1, "hype": -1, "text-fad": -1, "hold-decline": -1,
    "series-rising": 1, "series-fell": -1, "attention-gap": -1, "series-decline": -1,
}  # fmt: skip
NEUTRAL_CODES = frozenset({"staff", "little-evidence", "thin"})


def stance(reason: Mapping[str, Any], ring: str) -> str:
    """'for', 'against' or 'note': how one reason bears on the ring it is listed under."""
    if reason.get("code") in NEUTRAL_CODES:
        return "note"
    direction = REASON_DIRECTION.get(reason.get("code", ""))
    if direction is None:
        points = float(reason.get("points", 0.0))
        direction = 1 if points > 0 else -1 if points < 0 else 0
    if direction == 0:
        return "note"
    toward_lasting = ring != "hold"
    return "for" if (direction > 0) == toward_lasting else "against"


def with_stances(reasons: list[dict[str, Any]], ring: str) -> list[dict[str, Any]]:
    """The reasons marked for/against the ring, notes (staff, thin) first, else in order.

    The order is kept (the decisive reason first, then strongest first), so a contested
    technology leads with what holds it back, marked as against.
    """
    marked = [{**r, "stance": stance(r, ring)} for r in reasons]
    return sorted(marked, key=lambda r: r["stance"] != "note")


def movement(previous: str | None, ring: str) -> str:
    """'new', 'moved in' (toward Adopt), 'moved out', or 'unchanged' since last edition."""
    if previous is None:
        return "new"
    if previous == ring:
        return "unchanged"
    return "moved in" if RINGS.index(ring) < RINGS.index(previous) else "moved out"
