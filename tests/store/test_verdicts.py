"""Staff verdicts on whole technologies: labels for the staying model, dated, latest wins."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from radar.staying.editions import staff_seeds
from radar.store.labels import TagError, set_tag, set_tech_verdict, staff_tech_labels, tech_verdict
from radar.store.mentions import link_items
from radar.store.weekly import week_of
from tests.classify.test_training import _fill, _finder
from tests.conftest import FIXED_NOW
from tests.test_cli import radar


def test_a_verdict_on_the_technology_outranks_votes_on_its_items(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    link_items(db, _finder(), "k")
    starlink = [r[0] for r in db.execute(
        "SELECT item_id FROM mentions WHERE tech_id = 'leo-satellite' LIMIT 3")]  # fmt: skip
    assert starlink, "the test data mentions low-earth-orbit satellites"
    for item_id in starlink:
        set_tag(db, item_id, by="suzuki", now=FIXED_NOW, staying="fad")
    assert staff_tech_labels(db)["leo-satellite"][0] == 0

    later = FIXED_NOW + timedelta(days=9)
    set_tech_verdict(db, "leo-satellite", "standard", "sato", later)
    assert staff_tech_labels(db)["leo-satellite"] == (1, "2026-12-02T03:00:00Z")
    assert staff_seeds(db)["leo-satellite"] == (1, week_of(later))
    assert tech_verdict(db, "leo-satellite") == {
        "verdict": "standard", "by": "sato", "at": "2026-12-02T03:00:00Z",
    }  # fmt: skip
    set_tech_verdict(db, "leo-satellite", "fad", "tanaka", later + timedelta(days=1))
    assert tech_verdict(db, "leo-satellite")["verdict"] == "fad"  # type: ignore[index]
    assert tech_verdict(db, "kubernetes") is None


def test_a_verdict_needs_a_known_value_and_a_name(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TagError, match="standard, fad"):
        set_tech_verdict(db, "kubernetes", "maybe", "sato", FIXED_NOW)
    with pytest.raises(TagError, match="who"):
        set_tech_verdict(db, "kubernetes", "fad", " ", FIXED_NOW)


def test_cli_records_a_verdict_and_refuses_unknown_technologies(tmp_path: Path) -> None:
    done = radar(tmp_path, "techs", "verdict", "kubernetes", "standard", "--by", "sato")
    assert done.returncode == 0, done.stderr
    assert "kubernetes: standard (by sato)" in done.stdout
    unknown = radar(tmp_path, "techs", "verdict", "no-such-tech", "fad")
    assert unknown.returncode == 2 and "no technology 'no-such-tech'" in unknown.stderr
