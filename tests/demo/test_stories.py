"""The first radar a newcomer sees agrees with what a well-read person knows.

Every demo technology has a designed story (radar/demo/techs.yaml: standard, rising, emerging,
research, fad, declining). The demo is built exactly as `make run` builds it (`radar init`,
then `radar demo`: served over HTTP, ingested week by week, linked, scored, the first model
trained, every edition built), and the newest edition must place each technology in a ring its
story allows. Placement rules are changed by others (series signals, evidence rules), so this
goes through the real pipeline and keeps guarding the demo when they do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from radar.classify.tone import tone
from radar.demo.corpus import STORIES, demo_entries, demo_techs, tech_stories, week_start
from radar.demo.series import SOURCE_BASE, demo_series
from radar.records import SeriesPoint
from radar.series.mapping import map_terms
from radar.store.db import open_db
from radar.store.series import points_for, stored_terms
from radar.taxonomy.load import load_taxonomy

NEWEST = "2024-W01"
TAXONOMY = load_taxonomy()
# Where each story may land in the newest edition. A threat or a policy is capped at Trial
# by its kind, which every "Adopt or Trial" story allows.
ALLOWED = {
    "standard": {"adopt", "trial"},
    "rising": {"adopt", "trial"},
    "emerging": {"trial", "assess"},
    "research": {"assess"},
    "fad": {"assess", "hold"},
    "declining": {"hold"},  # or Assess with the measured decline shown (see _mismatch)
}
# A faded fad or a retired technology may drop off the radar altogether; nothing else may.
MAY_VANISH = {"fad", "declining"}
ROOT = Path(__file__).resolve().parents[2]
COLLECTOR_SOURCES = {
    "wikipedia_ja", "wikipedia_en", "hn_stories", "stackexchange_questions", "npm_downloads",
    "qiita_items", "gdelt_ja", "gdelt_en", "hn_whoishiring_postings",
}  # fmt: skip


def _radar(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ, "RADAR_DB": str(home / "radar.db"), "COLUMNS": "200",
        "RADAR_CLASSIFY_MODELS_DIR": str(home / "models"),
        "RADAR_CONFIG": str(ROOT / "feeds.yaml"),
    }  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "radar.cli", *args],
        cwd=home, env=env, capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by `radar init` and `radar demo`, the two steps `make run` takes first."""
    home = tmp_path_factory.mktemp("demo-run")
    for args in (("init",), ("demo", "--if-empty")):
        done = _radar(home, *args)
        assert done.returncode == 0, done.stderr
    return home


@pytest.fixture(scope="module")
def newest(demo_home: Path) -> dict[str, Any]:
    shown = _radar(demo_home, "radar", "--json", "--lang", "en")
    assert shown.returncode == 0, shown.stderr
    edition: dict[str, Any] = json.loads(shown.stdout)
    return edition


def _mismatch(story: str, blip: dict[str, Any] | None) -> str | None:
    """Why a placement contradicts the story, or None when it agrees."""
    if blip is None:
        return None if story in MAY_VANISH else "not on the radar"
    ring = blip["ring"]
    if ring in ALLOWED[story]:
        return None
    marked_decline = any(r.get("code") == "hold-decline" for r in blip["reasons"])
    if story == "declining" and ring == "assess" and marked_decline:
        return None
    e = blip["evidence"]
    return (
        f"{ring} (expected {' or '.join(sorted(ALLOWED[story]))}); score {blip['score']:.2f}, "
        f"{e['items26']} items in {e['weeks26']} of 26 weeks from {e['sources26']} sources, "
        f"half-year coverage then {e['then26']} now {e['now26']}"
    )


@pytest.mark.slow  # builds the whole demo, as `make run` does (about a minute)
def test_newest_demo_edition_places_every_technology_as_its_story_says(
    newest: dict[str, Any],
) -> None:
    assert newest["week"] == NEWEST
    blips = {b["tech_id"]: b for b in newest["blips"]}
    wrong = {
        tech: f"{tech} ({story}): {why}"
        for tech, story in sorted(tech_stories().items())
        if (why := _mismatch(story, blips.get(tech)))
    }
    rings = Counter(b["ring"] for b in newest["blips"])
    assert not wrong, (
        f"{len(wrong)} demo technologies contradict their designed story in {NEWEST} "
        f"(rings: {dict(rings)}); fix the demo data (radar/demo/techs.yaml, headlines), "
        "not the ring thresholds:\n  " + "\n  ".join(wrong.values())
    )


@pytest.mark.slow  # builds the whole demo, as `make run` does (about a minute)
def test_newest_demo_edition_uses_every_ring_and_adopts_no_threat_or_policy(
    newest: dict[str, Any],
) -> None:
    rings = Counter(b["ring"] for b in newest["blips"])
    assert set(rings) == {"adopt", "trial", "assess", "hold"}, rings
    adopted = [b["tech_id"] for b in newest["blips"] if b["ring"] == "adopt"]
    tracked = [
        b["tech_id"] for b in newest["blips"] if b["evidence"].get("kind") in ("threat", "policy")
    ]
    assert not set(adopted) & set(tracked), sorted(set(adopted) & set(tracked))


@pytest.mark.slow  # builds the whole demo, as `make run` does (about a minute)
def test_the_built_demo_has_series_for_every_technology_under_the_collectors_source_ids(
    demo_home: Path,
) -> None:
    db = open_db(demo_home / "radar.db")
    pairs = stored_terms(db)
    mapped = map_terms(load_taxonomy(), pairs)
    assert mapped.unmapped == ()  # every demo point is tied to its technology, as collected ones
    assert set(demo_techs()) <= set(mapped.linked)
    assert {source for source, _term in pairs} == COLLECTOR_SOURCES
    points = points_for(db, pairs)
    assert points == sorted(points, key=lambda p: (p.source, p.term, p.period_end))
    assert min(p.period for p in points) == "2019-01"
    assert max(p.period_end for p in points) <= "2024-01-07"  # nothing after the demo's present
    assert len(points) == len(demo_series(load_taxonomy()))


def _by_month(points: list[SeriesPoint], tech: str, evidence: str) -> dict[str, float]:
    """One tech's attention or adoption, summed over sources as shares of each source's size."""
    out: dict[str, float] = defaultdict(float)
    mine = set(map_terms(TAXONOMY, {(p.source, p.term) for p in points}).pairs_for(tech))
    for p in points:
        base, kind = SOURCE_BASE[p.source]
        if (p.source, p.term) in mine and kind == evidence:
            value = p.share if p.share is not None else p.count
            out[p.period] += float(value or 0.0) / base
    return out


def _mean(series: dict[str, float], first: str, last: str) -> float:
    values = [v for k, v in series.items() if first <= k <= last]
    return sum(values) / len(values) if values else 0.0


def test_demo_series_tell_each_story_in_adoption_and_attention() -> None:
    points = demo_series(TAXONOMY)
    for tech, story in tech_stories().items():
        attention = _by_month(points, tech, "attention")
        adoption = _by_month(points, tech, "adoption")
        late = _mean(attention, "2023-10", "2023-12")
        if story == "fad":  # talk boomed and collapsed; use never followed
            assert max(attention.values()) > 2.5 * late, tech
            if adoption:
                assert max(adoption.values()) < 0.5 * max(attention.values()), tech
        if story == "declining":
            assert late < 0.8 * max(attention.values()), tech
            if adoption:
                assert _mean(adoption, "2023-07", "2023-12") < 0.7 * max(adoption.values()), tech
        if story in ("rising", "emerging") and adoption:
            assert _mean(adoption, "2023-07", "2023-12") > 2 * _mean(
                adoption, "2019-01", "2019-12"
            ), tech
        if story == "standard" and adoption:  # held, not collapsed
            assert _mean(adoption, "2023-01", "2023-12") >= 0.9 * _mean(
                adoption, "2019-01", "2019-12"
            ), tech
        if story == "research" and adoption:
            assert _mean(adoption, "2023-01", "2023-12") < 0.1, tech


def test_every_story_is_used_and_every_technology_names_its_series() -> None:
    assert set(tech_stories().values()) == set(STORIES)
    for tech, spec in demo_techs().items():
        assert spec.get("series", {}).get("sources"), tech
    assert {p.source for p in demo_series(TAXONOMY)} == COLLECTOR_SOURCES


def test_headlines_carry_their_storys_tone() -> None:
    """In the newest half-year, standards read as adoption and fads do not; craze is a fad's."""
    counts: dict[tuple[str, bool], Counter[str]] = defaultdict(Counter)
    for entry in demo_entries():
        if entry.published and entry.techs:
            late = entry.published.date() >= week_start(54)  # the newest edition's 26 weeks
            said = tone(f"{entry.title} {entry.summary_html}")
            key = (tech_stories()[entry.techs[0]], late)
            counts[key].update(["all", "adoption" if said > 0 else "hype" if said < 0 else ""])

    def share(story: str, late: bool, kind: str) -> float:
        return counts[(story, late)][kind] / counts[(story, late)]["all"]

    for story in ("standard", "rising"):
        assert share(story, True, "adoption") > 2 * share("fad", True, "adoption"), story
        assert share(story, True, "hype") < 0.05, story
    assert share("fad", True, "hype") > 3 * share("standard", True, "hype")
    assert share("fad", False, "hype") > 0.1  # the boom was written about as a boom
    assert share("research", True, "adoption") < 0.05
