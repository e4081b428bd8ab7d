"""The Models page's track record checks published scores against what happened a year on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from radar.chart_judgment import reliability_figure, ring_mix_figure
from radar.classify.linking import link_store
from radar.staying.track_record import track_record
from radar.store.db import open_db
from radar.store.editions import save_edition
from radar.store.weekly import week_label, week_of
from radar.taxonomy.load import load_taxonomy
from tests.stored import store_items

START = datetime(2020, 1, 6, 12, tzinfo=UTC)


def _blip(tech: str, ring: str, score: float) -> dict:
    return {"tech_id": tech, "quadrant": "cloud-infra-security", "ring": ring, "score": score,
            "movement": "unchanged", "human": False, "reasons": [], "evidence": {}}  # fmt: skip


def test_a_radar_whose_scores_came_true_is_shown_as_reliable(tmp_path):
    db = open_db(tmp_path / "radar.db")
    weeks = range(0, 110)
    rows = [(START + timedelta(weeks=w), f"Kubernetes release notes {w}", "") for w in weeks]
    rows += [(START + timedelta(weeks=w), f"Docker Swarm news {w}", "") for w in range(30)]
    rows += [(START + timedelta(weeks=w), f"Docker tips {w}", "") for w in range(30)]
    store_items(db, "news", rows)
    link_store(db)
    first = week_of(START)
    for w in range(0, 40, 4):
        label = week_label(first + w)
        save_edition(db, label, [_blip("kubernetes", "adopt", 0.9), _blip("docker", "hold", 0.1)],
                     START)  # fmt: skip

    record = track_record(db, load_taxonomy())

    assert record.checked >= 4 and record.editions >= 2
    assert record.calibration is not None and record.calibration["brier"] < 0.05
    assert {(r["predicted"], r["observed"]) for r in record.reliability} == {(0.1, 0.0), (0.9, 1.0)}
    assert {ring for _, ring, _ in record.rings} == {"adopt", "hold"}
    figure = reliability_figure(record.reliability, "ja")
    assert figure.layout.xaxis.title.text.startswith("公表したスコア")
    assert [t.name for t in ring_mix_figure(record.rings, "en").data] == [
        "Adopt", "Trial", "Assess", "Hold"
    ]  # fmt: skip


def test_a_young_radar_says_it_cannot_be_checked_yet(tmp_path):
    db = open_db(tmp_path / "radar.db")
    store_items(db, "news", [(START, "Kubernetes 1.0", "")])
    link_store(db)
    save_edition(db, week_label(week_of(START)), [_blip("kubernetes", "assess", 0.5)], START)

    record = track_record(db, load_taxonomy())

    assert record.calibration is None and record.reliability == []
    assert record.rings == [(week_label(week_of(START)), "assess", 1)]
