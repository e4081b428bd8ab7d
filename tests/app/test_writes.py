"""Write actions in the app: sign-in gates them; tags, overrides, retraining and feed admin work."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from feeds import numbered, rss
from feedserver import Route
from streamlit.testing.v1 import AppTest

from radar.app import background, progress
from radar.app.steps import step_key, steps_so_far
from radar.app.views.models import describe_training
from radar.classify.compare import Comparison
from radar.classify.retrain import TrainResult
from radar.labels import ring_name
from radar.staying.reasons import render_reason
from radar.store.db import open_db
from radar.store.editions import edition_weeks, load_edition
from radar.store.feeds import feed_health
from radar.store.labels import get_tag, tech_verdict
from tests.app.conftest import APP, PASSWORD, page


def _tag_buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("tag_") and "_" in b.key[4:]]


def _sign_in(at: AppTest, name: str, password: str, label: str = "Sign in") -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(password)
    return at.button(key=f"FormSubmitter:sign_in-{label}").click().run()


def test_signed_out_staff_see_no_write_widgets(store: Path) -> None:
    for name in ("tagging", "tech", "models", "feeds"):
        at = page(name).run()
        assert not at.exception
        assert any("Sign in" in info.value for info in at.info), name
        assert not _tag_buttons(at)
        assert not at.get("form"), name
        assert not [b for b in at.button if b.key in ("retrain_start", "switch_start")]


def test_sign_in_with_the_right_password_unlocks_writing(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.run()
    _sign_in(at, "sato", PASSWORD)
    assert not at.exception
    assert at.session_state["radar_user"] == "sato"
    assert any("Signed in as sato" in c.value for c in at.sidebar.caption)
    at.button(key="sign_out").click().run()
    assert "radar_user" not in at.session_state


def test_a_wrong_password_is_refused(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.run()
    _sign_in(at, "sato", "wrong")
    assert "radar_user" not in at.session_state
    assert any("Wrong user name or password" in e.value for e in at.sidebar.error)
    _sign_in(at, "nobody", PASSWORD)
    assert "radar_user" not in at.session_state


def test_five_wrong_passwords_lock_the_name_with_a_wait_in_minutes(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = "ja"
    at.run()
    for _ in range(5):
        _sign_in(at, "sato", "wrong", "サインイン")
    assert any("15 分後" in e.value for e in at.sidebar.error)
    _sign_in(at, "sato", PASSWORD, "サインイン")  # even the right password waits
    assert "radar_user" not in at.session_state
    other = AppTest.from_file(APP, default_timeout=60)  # another browser, same name
    other.session_state["ui_lang"] = "en"
    other.run()
    _sign_in(other, "sato", PASSWORD)
    assert "radar_user" not in other.session_state
    assert any("wait 15 minutes" in e.value for e in other.sidebar.error)


def test_a_user_no_longer_configured_cannot_write(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_APP_USERS", "")
    at = page("tagging", user="sato").run()
    assert not _tag_buttons(at)


def test_closed_reading_asks_everyone_to_sign_in(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_APP_OPEN_READ", "0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.get("plotly_chart")
    assert any("Sign in (sidebar) to read" in i.value for i in at.info)
    _sign_in(at, "sato", PASSWORD)
    assert at.get("plotly_chart")


def test_tagging_writes_a_tag_with_who_and_when_and_undo_restores(store: Path) -> None:
    at = page("tagging", user="sato").run()
    assert not at.exception
    queue = at.session_state["tag_queue"][1]
    assert 5 <= len(queue) <= 20
    item = queue[0]["id"]
    at.button(key=f"tag_{item}_quadrant_ai-data").click().run()
    at.button(key=f"tag_{item}_staying_standard").click().run()
    at.button(key=f"tag_{item}_relevant_yes").click().run()
    db = open_db(store)
    tag = get_tag(db, item)
    assert tag is not None
    assert (tag["quadrant"], tag["staying"], tag["relevant"], tag["tagged_by"]) == (
        "ai-data", "standard", 1, "sato",
    )  # fmt: skip
    assert tag["tagged_at"]
    assert at.button(key=f"tag_{item}_quadrant_ai-data").proto.type == "primary"
    assert any("Tagged by sato" in c.value for c in at.caption)
    at.button(key="tag_undo_button").click().run()
    assert get_tag(db, item)["relevant"] is None
    at.button(key="tag_undo_button").click().run()
    at.button(key="tag_undo_button").click().run()
    assert get_tag(db, item) is None


def test_an_override_changes_the_edition_and_is_marked_human(store: Path) -> None:
    db = open_db(store)
    week = edition_weeks(db)[0]
    before = {b["tech_id"]: b for b in load_edition(db, week)}["kubernetes"]
    ring = "hold" if before["ring"] != "hold" else "adopt"
    at = page("tech", user="sato")
    at.query_params["tech"] = "kubernetes"
    at.run()
    at.selectbox(key="override_ring").select(ring)
    at.text_area(key="override_comment").input("<b>No</b> use case for us")
    at.button(key="FormSubmitter:override_form-Record decision").click().run()
    assert not at.exception
    at.session_state["editions_job"].wait(60)
    assert at.session_state["editions_job"].status == "done"
    after = {b["tech_id"]: b for b in load_edition(db, week)}["kubernetes"]
    assert after["ring"] == ring and after["human"]
    assert "sato" in render_reason(after["reasons"][0], "en")
    at.run()
    assert at.metric[0].value == ring.capitalize()
    warning = at.warning[0].value
    assert "Staff decision by sato" in warning and "\\<b\\>No" in warning


def test_override_needs_a_comment(store: Path) -> None:
    at = page("tech", user="sato")
    at.query_params["tech"] = "kubernetes"
    at.run()
    at.button(key="FormSubmitter:override_form-Record decision").click().run()
    assert any("Please say why" in e.value for e in at.error)
    assert "editions_job" not in at.session_state


def test_retraining_runs_in_the_background_then_promotes_and_rolls_back(store: Path) -> None:
    at = page("models", user="sato").run()
    assert any("No trained model yet" in i.value for i in at.info)
    at.button(key="retrain_start").click().run()
    job = at.session_state["retrain_job"]
    job.wait(120)
    assert job.status == "done", job.error
    assert job.messages and job.result.promoted
    names = steps_so_far(job.messages, "ja")  # every real step has a Japanese name
    assert not [m for m in job.messages if step_key(m).startswith("train:")], job.messages
    assert {"記事とタグの読み込み", "すべての記事を採点し直し"} <= set(names), names
    assert any(name.startswith("版の作成") for name in names)
    at.run()
    assert any("Retraining finished" in s.value for s in at.success)
    assert len(at.dataframe[0].value) == 1
    assert any("The current model changed on" in c.value and "(retrained on request)" in c.value
               for c in at.caption)  # fmt: skip
    at.button(key="retrain_start").click().run()
    at.session_state["retrain_job"].wait(120)
    at.run()
    # the demo has no staff tags: rules judge their own copy, and the page says so
    assert any("cannot tell which model is better" in s.value for s in at.success)
    assert not any("worse" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert len(table) == 2
    older = at.selectbox(key="switch_version").value
    at.button(key="switch_start").click().run()
    at.session_state["model_job"].wait(120)
    at.run()
    table = at.dataframe[0].value
    assert table.loc[table["Version"] == older, "Current"].iloc[0] == "✓"


def test_feed_admin_adds_disables_and_enables(
    store: Path,
    feed_server,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("RADAR_HTTP_ALLOW_PRIVATE", "true")
    feed_server.routes["/new"] = Route(body=rss(numbered(2), title="Local <b>News</b>"))
    at = page("feeds", user="sato").run()
    at.text_input(key="add_feed_url").input(feed_server.url("/new"))
    at.button(key="FormSubmitter:add_feed-Add a feed").click().run()
    assert not at.exception
    assert any("Added" in s.value for s in at.success), [e.value for e in at.error]
    db = open_db(store)
    added = [row for row in feed_health(db) if row["url"] == feed_server.url("/new")]
    assert added and added[0]["name"] == "Local News"  # the parser keeps text only
    toggle = at.selectbox(key="toggle_feed")
    toggle.select_index(list(toggle.options).index("Local News")).run()
    at.text_input(key="toggle_reason").input("too noisy")
    at.button(key="toggle_disable").click().run()
    row = next(r for r in feed_health(db) if r["id"] == added[0]["id"])
    assert not row["enabled"] and row["disabled_reason"] == "too noisy"
    at.button(key="toggle_enable").click().run()
    assert next(r for r in feed_health(db) if r["id"] == added[0]["id"])["enabled"]


def test_a_refused_feed_shows_a_plain_message(store: Path) -> None:
    at = page("feeds", user="sato").run()
    at.text_input(key="add_feed_url").input("http://127.0.0.1:1/feed")
    at.button(key="FormSubmitter:add_feed-Add a feed").click().run()
    assert not at.exception
    assert at.error and not at.success


def test_a_running_job_shows_in_the_sidebar_and_its_end_refreshes_the_data(store: Path) -> None:
    release = threading.Event()
    job = background.start("test", lambda say: (say("step one"), release.wait(30)))
    assert job is not None and background.start("test", lambda say: None) is None
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.session_state[progress.EDITIONS] = job
    at.run()
    assert any("step one" in c.value for c in at.sidebar.caption)
    release.set()
    job.wait(30)
    at.run()
    assert not at.exception
    assert at.session_state[progress.EDITIONS].cleared
    assert not any("step one" in c.value for c in at.sidebar.caption)


def test_a_digest_link_to_an_item_puts_it_first_in_the_queue(store: Path) -> None:
    db = open_db(store)
    item = db.execute("SELECT min(id) FROM items").fetchone()[0]
    db.close()
    at = page("tagging", user="sato")
    at.query_params["item"] = str(item)
    at.run()
    assert not at.exception
    assert at.session_state["tag_queue"][1][0]["id"] == item
    at.button(key=f"tag_{item}_relevant_no").click().run()
    assert at.session_state["tag_queue"][1][0]["id"] == item


def test_staff_give_a_technology_a_fad_or_standard_verdict(store: Path) -> None:
    at = page("tech", user="sato")
    at.query_params["tech"] = "kubernetes"
    at.run()
    at.button(key="verdict_standard").click().run()
    assert not at.exception
    assert tech_verdict(open_db(store), "kubernetes")["verdict"] == "standard"  # type: ignore[index]
    assert any("Current verdict: Standard (sato" in c.value for c in at.caption)
    assert at.button(key="verdict_standard").proto.type == "primary"


def test_after_an_override_the_form_and_page_show_the_new_ring_and_explain_the_score(
    store: Path,
) -> None:
    db = open_db(store)
    week = edition_weeks(db)[0]
    before = {b["tech_id"]: b for b in load_edition(db, week)}["kubernetes"]
    ring = "trial" if before["ring"] != "trial" else "hold"
    name = ring_name(ring, "ja")
    at = page("tech", lang="ja", user="sato")
    at.query_params["tech"] = "kubernetes"
    at.run()
    assert at.selectbox(key="override_ring").value == before["ring"]
    at.selectbox(key="override_ring").select(ring)
    at.text_area(key="override_comment").input("庁内で試行する")
    at.button(key="FormSubmitter:override_form-判断を記録").click().run()
    assert not at.exception
    # at once, whether or not the editions are rebuilt yet: the new ring, not the first one
    assert at.selectbox(key="override_ring").value == ring
    assert at.metric[0].value.startswith(name)
    assert any(f"{name} として記録しました" in s.value for s in at.success)
    at.session_state["editions_job"].wait(60)
    at.run()
    assert at.selectbox(key="override_ring").value == ring
    assert at.metric[0].value.startswith(name)
    score = f"{before['score']:.2f}"
    assert any(f"モデルの評価: {score}（職員の判断が優先）" in c.value for c in at.caption)
    del at.session_state["override_for"]  # as on a fresh visit
    at.run()
    assert at.selectbox(key="override_ring").value == ring


def test_a_recorded_decision_shows_while_another_rebuild_blocks_its_own(store: Path) -> None:
    release = threading.Event()
    blocker = background.start("editions", lambda say: release.wait(30))
    assert blocker is not None
    try:
        at = page("tech", user="sato")
        at.query_params["tech"] = "kubernetes"
        at.run()
        at.selectbox(key="override_ring").select("hold")
        at.text_area(key="override_comment").input("not for us")
        at.button(key="FormSubmitter:override_form-Record decision").click().run()
        assert at.warning  # the rebuild is refused while another runs
        at.run()
        assert at.metric[0].value.startswith("Hold")
        assert at.selectbox(key="override_ring").value == "hold"
        assert any("the staff decision wins" in c.value for c in at.caption)
    finally:
        release.set()
        blocker.wait(30)


def test_retraining_progress_is_named_steps_in_japanese(store: Path) -> None:
    release = threading.Event()

    def work(say: background.Say) -> None:
        say(background.Step("link", 3, 3, ""))
        say(background.Step("score", 120, 480, ""))
        say(background.Step("train", 0, None, "training on 1200 items"))
        release.wait(30)

    job = background.start("retrain", work)
    assert job is not None
    try:
        at = page("models", lang="ja", user="sato")
        at.session_state[progress.RETRAIN] = job
        at.run()
        shown = at.info[0].value.replace("\\", "")  # as rendered: markdown escapes gone
        assert "再学習を実行中: 1200 件の記事で学習" in shown
        assert "✓ 記事と技術の結び付け 3/3" in shown and "✓ 記事の採点 120/480" in shown
        assert "▶ 1200 件の記事で学習" in shown
        assert "開始中" not in shown and "training" not in shown
    finally:
        release.set()
        job.wait(30)


@pytest.mark.parametrize(
    ("verdict", "worse", "promoted", "says"),
    [
        ("cannot_tell", False, True, ["判定できません", "採用しました"]),
        ("same", False, True, ["0.01 以内", "違いは測れません", "採用しました"]),
        ("worse", True, False, ["0.01 を超えて悪い", "採用せず"]),
        ("worse", True, True, ["評価にかかわらず採用しました"]),
        ("better", False, True, ["良い結果", "採用しました"]),
    ],
)
def test_the_retraining_outcome_says_how_the_versions_compared(
    verdict: str, worse: bool, promoted: bool, says: list[str]
) -> None:
    result = TrainResult(
        "v2", promoted, {"basis": "weak", "overall": {}}, {"basis": "weak", "overall": {}},
        comparison=Comparison(verdict, worse, {"relevance_auc": -0.0002}),
    )  # fmt: skip
    text = describe_training(result, "ja")
    assert all(part in text for part in says), text
