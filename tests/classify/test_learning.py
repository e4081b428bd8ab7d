"""The classifier learns without being asked: first fetch, new staff tags, the weekly job;
and the scheduler's poll returns before anything is embedded or scored."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from feeds import rss
from feedserver import Route

from radar import scheduler, workflows
from radar.classify.changes import FIRST, STAFF, SWITCH, TAGS, last_change, read_changes
from radar.classify.learning import MIN_ITEMS_TO_LEARN, due_in_store, training_due
from radar.classify.registry import current_version
from radar.config import Settings
from radar.digest.compose import compose
from radar.digest.gather import gather
from radar.records import FeedSpec
from radar.store.feeds import sync_feeds
from radar.store.labels import set_tag
from radar.taxonomy.load import load_taxonomy
from tests.conftest import FIXED_NOW

# Headlines naming technologies of every quadrant, so weak labels give a model to train.
_TOPICS = (
    "Kubernetes クラスタの運用を自動化", "ランサムウェア被害が拡大", "生成AIで議事録を作成",
    "ChatGPT の業務利用ルール", "ローカル5G を庁舎に導入", "ドローンで橋を点検",
    "マイナンバーカードで転入手続", "電子申請の窓口を一本化", "Zero trust network rollout",
    "Large language models in city hall", "Wi-Fi 7 access points ship", "Low-code apps for staff",
)  # fmt: skip


def _items(n: int) -> list[dict[str, str]]:
    return [
        {"title": f"{_TOPICS[i % len(_TOPICS)]} ({i})", "link": f"https://example.org/a/{i}",
         "guid": f"a-{i}", "date": f"Mon, {1 + i % 27:02d} Sep 2025 10:00:00 +0900"}
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def fresh(db, settings: Settings, tmp_path: Path, feed_server):  # type: ignore[no-untyped-def]
    """A new office's store: one feed of MIN_ITEMS_TO_LEARN items, no model yet."""
    feed_server.routes["/f.xml"] = Route(body=rss(_items(MIN_ITEMS_TO_LEARN)))
    settings = dataclasses.replace(
        settings, models_dir=tmp_path / "models", sentence_model=False, retrain_after_tags=3,
        feeds=(FeedSpec(id="f", name="F", url=feed_server.url("/f.xml"), lang="ja"),),
    )  # fmt: skip
    sync_feeds(db, settings.feeds, "config", FIXED_NOW)
    return db, settings


def _scored(db) -> int:  # type: ignore[no-untyped-def]
    return int(db.execute("SELECT count(DISTINCT item_id) FROM scores").fetchone()[0])


def test_the_rule_trains_a_new_store_once_it_has_enough_items_and_after_enough_tags() -> None:
    assert training_due(has_model=False, items=3, tags_since=0, tag_threshold=20) is None
    assert training_due(has_model=False, items=MIN_ITEMS_TO_LEARN, tags_since=0,
                        tag_threshold=20) == FIRST  # fmt: skip
    assert training_due(has_model=True, items=10**6, tags_since=19, tag_threshold=20) is None
    assert training_due(has_model=True, items=10**6, tags_since=20, tag_threshold=20) == TAGS
    assert training_due(has_model=True, items=10**6, tags_since=500, tag_threshold=0) is None


def test_the_first_fetch_trains_a_model_without_anyone_asking(fresh) -> None:  # type: ignore[no-untyped-def]
    db, settings = fresh
    workflows.poll(db, settings, lambda: FIXED_NOW, everything=True)
    version = current_version(settings.models_dir)
    assert version is not None
    assert last_change(settings.models_dir) == {
        "version": version, "at": "2026-11-23T03:00:00Z", "reason": FIRST, "promoted": True,
        "verdict": None,
    }  # fmt: skip
    assert _scored(db) == MIN_ITEMS_TO_LEARN
    assert {row[0] for row in db.execute("SELECT DISTINCT model FROM scores")} == {version}
    workflows.poll(db, settings, lambda: FIXED_NOW + timedelta(hours=1), everything=True)
    assert len(read_changes(settings.models_dir)) == 1  # nothing new to learn from


def test_staff_tags_start_a_retraining_once_there_are_enough(fresh) -> None:  # type: ignore[no-untyped-def]
    db, settings = fresh
    workflows.poll(db, settings, lambda: FIXED_NOW, everything=True)
    later = FIXED_NOW + timedelta(days=1)
    quadrants = tuple(q.id for q in load_taxonomy().quadrants)
    for item_id in (1, 2):
        set_tag(db, item_id, by="sato", now=later, quadrant="services-work", quadrants=quadrants)
    assert due_in_store(db, settings.models_dir, settings.retrain_after_tags) is None
    set_tag(db, 3, by="sato", now=later, relevant=True)
    assert due_in_store(db, settings.models_dir, settings.retrain_after_tags) == TAGS
    result = workflows.learn_and_score(db, settings, later + timedelta(minutes=15))
    assert result is not None
    entry = read_changes(settings.models_dir)[-1]
    assert entry["reason"] == TAGS and entry["version"] == result.version
    assert entry["promoted"] == result.promoted
    # Counted from the last training, promoted or not: no retraining after every poll.
    assert due_in_store(db, settings.models_dir, settings.retrain_after_tags) is None


def test_a_switch_and_a_requested_training_are_logged_with_their_reason(fresh) -> None:  # type: ignore[no-untyped-def]
    db, settings = fresh
    workflows.poll(db, settings, lambda: FIXED_NOW, everything=True)
    first = current_version(settings.models_dir)
    later = FIXED_NOW + timedelta(days=2)
    result = workflows.retrain(db, settings, later, force=True)
    assert read_changes(settings.models_dir)[-1]["reason"] == STAFF
    assert first is not None and result.version != first
    workflows.switch_model(db, settings, first, later + timedelta(hours=1))
    assert last_change(settings.models_dir) == {
        "version": first, "at": "2026-11-25T04:00:00Z", "reason": SWITCH, "promoted": True,
    }  # fmt: skip


def test_the_digest_says_when_the_model_changed_and_why(fresh) -> None:  # type: ignore[no-untyped-def]
    db, settings = fresh
    workflows.poll(db, settings, lambda: FIXED_NOW, everything=True)
    workflows.build_editions(db, settings, FIXED_NOW)
    week = workflows.newest_week(db)
    data = gather(db, load_taxonomy(), week, settings.base_url, settings.models_dir)
    assert data.model["changed"] == {"at": "2026-11-23", "reason": FIRST}
    assert "最終更新 2026-11-23: 最初の取得後に自動で学習" in compose(data, "ja").text
    assert "last changed 2026-11-23: trained on its own after the first fetch" in (
        compose(data, "en").html
    )


def test_the_scheduled_poll_stores_first_and_scores_on_its_own_thread(fresh, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, settings = fresh
    started = []
    real = scheduler.score_in_background

    def watched(job_settings: Settings):  # type: ignore[no-untyped-def]
        # The poll has returned with its items committed and none of them scored yet.
        started.append((db.execute("SELECT count(*) FROM items").fetchone()[0], _scored(db)))
        thread = real(job_settings)
        started.append(thread)
        return thread

    monkeypatch.setattr(scheduler, "score_in_background", watched)
    scheduler.poll_feeds(settings)
    assert started[0] == (MIN_ITEMS_TO_LEARN, 0)
    started[1].join(timeout=120)
    assert _scored(db) == MIN_ITEMS_TO_LEARN
    assert current_version(settings.models_dir) is not None


def test_the_scheduler_retrains_every_week(settings: Settings) -> None:
    jobs = {job.id: job for job in scheduler.scheduled_jobs(settings)}
    weekly = jobs["weekly-training"]
    assert weekly.func is scheduler.retrain_weekly and weekly.trigger == "cron"
    assert weekly.trigger_args["day_of_week"] == "sun"  # before Monday's edition build
