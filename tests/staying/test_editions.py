"""Weekly editions on a real store built from the demo corpus (30 weeks through the pipeline)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radar.classify.linking import link_store
from radar.classify.mentions import MentionMatcher
from radar.demo.ingest import ingest_demo
from radar.staying.byor import dumps, loads, match_rows, to_byor
from radar.staying.editions import build_editions, pending_weeks
from radar.staying.reasons import render_reason
from radar.store.db import open_db
from radar.store.editions import add_override, edition_weeks, load_edition
from radar.taxonomy.load import load_taxonomy

NOW = datetime(2026, 11, 23, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory):  # type: ignore[no-untyped-def]
    from radar.config import HttpSettings, Settings

    path = tmp_path_factory.mktemp("editions") / "radar.db"
    db = open_db(path)
    ingest_demo(db, Settings(db_path=path, http=HttpSettings(allow_private=True)), weeks=30)
    link_store(db, load_taxonomy())
    build_editions(db, load_taxonomy(), pending_weeks(db), NOW)
    yield db
    db.close()


def test_every_week_gets_an_edition_with_reasons_and_evidence(store) -> None:  # type: ignore[no-untyped-def]
    weeks = edition_weeks(store)
    assert len(weeks) >= 30
    latest = load_edition(store, weeks[0])
    assert len(latest) >= 20
    for blip in latest:
        assert blip["ring"] in {"adopt", "trial", "assess", "hold"}
        first = blip["reasons"][0]
        assert render_reason(first, "ja") and render_reason(first, "en")
        assert blip["evidence"]["items"], blip["tech_id"]
    assert {b["movement"] for b in load_edition(store, weeks[-1])} == {"new"}


def test_an_edition_built_alone_equals_the_one_built_in_sequence(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    week = edition_weeks(store)[5]
    before = {b["tech_id"]: (b["ring"], b["score"]) for b in load_edition(store, week)}
    from radar.store.weekly import parse_week_label

    build_editions(store, load_taxonomy(), [parse_week_label(week)], NOW)
    after = {b["tech_id"]: (b["ring"], b["score"]) for b in load_edition(store, week)}
    assert after == before


def test_staff_override_wins_and_is_marked_human(store) -> None:  # type: ignore[no-untyped-def]
    week = edition_weeks(store)[0]
    tech = load_edition(store, week)[0]["tech_id"]
    add_override(store, tech, "hold", "Not for our city yet", "sato", week, NOW)
    from radar.store.weekly import parse_week_label

    build_editions(store, load_taxonomy(), [parse_week_label(week)], NOW)
    blip = next(b for b in load_edition(store, week) if b["tech_id"] == tech)
    assert blip["ring"] == "hold" and blip["human"]
    assert "sato" in render_reason(blip["reasons"][0], "en")


def test_byor_export_reimports_as_the_same_placements(store) -> None:  # type: ignore[no-untyped-def]
    taxonomy = load_taxonomy()
    blips = load_edition(store, edition_weeks(store)[0])
    for fmt in ("csv", "json"):
        rows = loads(dumps(to_byor(blips, taxonomy, "en"), fmt))
        assert set(rows[0]) == {"name", "ring", "quadrant", "isNew", "description"}
        matched, unknown = match_rows(rows, taxonomy, MentionMatcher.from_taxonomy(taxonomy).find)
        assert unknown == []
        assert {(t, r) for t, r, _ in matched} == {(b["tech_id"], b["ring"]) for b in blips}


def test_staff_staying_tags_become_technology_labels(store) -> None:  # type: ignore[no-untyped-def]
    from radar.staying.editions import staff_seeds
    from radar.store.labels import set_tag

    items = [r[0] for r in store.execute(
        "SELECT item_id FROM mentions WHERE tech_id = 'metaverse' LIMIT 3")]  # fmt: skip
    for item_id, verdict in zip(items, ("fad", "fad", "standard"), strict=True):
        set_tag(store, item_id, by="sato", now=NOW, staying=verdict)
    seeds = staff_seeds(store)
    assert seeds["metaverse"][0] == 0  # two of three said fad
    assert "kubernetes" not in seeds


def test_threats_and_policies_are_tracked_and_hold_means_decline(store) -> None:  # type: ignore[no-untyped-def]
    """Through the real pipeline: no threat or policy is ever in Adopt, and every Hold rests on
    a measured fall in coverage, never on few items."""
    from radar.staying.kind_labels import ring_suffix
    from radar.staying.rings import DECLINE_FROM, DECLINE_TO, TRACKED_KINDS

    kinds = {tech.id: tech.kind for tech in load_taxonomy().techs}
    weeks = edition_weeks(store)
    for week in weeks:
        for blip in load_edition(store, week):
            evidence = blip["evidence"]
            assert evidence["kind"] == kinds[blip["tech_id"]]
            if evidence["kind"] in TRACKED_KINDS:
                assert blip["ring"] != "adopt", (week, blip["tech_id"])
            if blip["ring"] == "hold" and not blip["human"]:
                assert evidence["then26"] >= DECLINE_FROM, (week, blip["tech_id"])
                assert evidence["now26"] <= DECLINE_TO * evidence["then26"]
            if evidence["thin"]:
                assert blip["ring"] == "assess" and blip["reasons"][0]["code"] == "thin"
    newest = load_edition(store, weeks[0])
    assert any(b["ring"] == "adopt" for b in newest)  # Adopt is reachable, so the cap is real
    tracked = [b for b in newest if b["evidence"]["kind"] in TRACKED_KINDS]
    assert tracked and all(ring_suffix(b, "en") for b in tracked)  # shown under its own name
