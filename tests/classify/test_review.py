"""What staff see: the weekly queue, explanations, candidate technologies, honest evaluation."""

from __future__ import annotations

import re
from pathlib import Path

from radar.classify.candidates import bursting_terms, terms_of
from radar.classify.queue import Candidate, pick_queue
from radar.classify.registry import load_version
from radar.classify.retrain import evaluate_current, train_and_maybe_promote
from radar.classify.review import explain_item, staff_queue
from radar.classify.text import model_text
from radar.store.labels import set_tag
from radar.taxonomy.load import load_taxonomy
from tests.classify.test_training import _fill
from tests.conftest import FIXED_NOW


def _candidates(n: int) -> list[Candidate]:
    return [
        Candidate(i, "ai-data", confidence=i / n, rule_quadrant="services-work" if i % 5 else None)
        for i in range(n)
    ]


def test_queue_mixes_uncertain_disagreeing_and_random_items() -> None:
    queue = pick_queue(_candidates(200), seed=202648)
    reasons = [entry.reason for entry in queue]
    assert len(queue) == 15 and len({e.item_id for e in queue}) == 15
    assert reasons.count("uncertain") == 9
    assert reasons.count("disagree") == 3 and reasons.count("random") == 3
    uncertain = [e.item_id for e in queue if e.reason == "uncertain"]
    assert uncertain == list(range(9))  # the least confident first


def test_queue_is_stable_within_a_week_and_changes_between_weeks() -> None:
    pool = _candidates(200)
    assert pick_queue(pool, seed=202648) == pick_queue(pool, seed=202648)
    assert pick_queue(pool, seed=202648) != pick_queue(pool, seed=202649)


def test_candidate_terms_are_product_like_in_both_languages() -> None:
    assert "Bluesky" in terms_of("Bluesky opens sign-ups to everyone")
    assert "ブルースカイ" in terms_of("ブルースカイの利用者が急増")
    assert "Sora" in terms_of("OpenAIがSoraを公開")
    assert "The" not in terms_of("The week in review")


def test_bursting_unknown_terms_are_listed_and_known_ones_are_not() -> None:
    before = [f"Routine cloud update {i}" for i in range(40)]
    recent = [f"Bluesky gains users, Kubernetes too ({i})" for i in range(6)] + ["Other news"]
    known = {"Kubernetes"}
    found = bursting_terms(recent, before, lambda term: [term] if term in known else [])
    assert [c.term for c in found] == ["Bluesky"]
    assert found[0].recent == 6 and found[0].before == 0


def test_explanations_name_the_terms_behind_the_quadrant(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    train_and_maybe_promote(db, load_taxonomy(), tmp_path / "m", FIXED_NOW)
    item = db.execute("SELECT id FROM items WHERE title LIKE 'ガバメントクラウド%'").fetchone()[0]
    result = explain_item(db, load_taxonomy(), tmp_path / "m", item)
    assert result["mentions"] == [{"tech": "government-cloud", "text": "ガバメントクラウド"}]
    assert result["quadrant"] == "cloud-infra-security"
    assert result["rule_quadrant"] == result["model_quadrant"] == "cloud-infra-security"
    assert result["meaning_quadrant"] in {q.id for q in load_taxonomy().quadrants}
    terms = [t["term"] for t in result["quadrant_terms"]]
    assert terms and any(ch in "".join(terms) for ch in "ガバメントクラウド")
    english = db.execute("SELECT id, title FROM items WHERE title LIKE 'Kubernetes%'").fetchone()
    words = set(english[1].lower().split())
    shown = explain_item(db, load_taxonomy(), tmp_path / "m", english[0])
    terms = [t["term"] for t in shown["quadrant_terms"] + shown["relevance_terms"]]
    assert terms and all(set(term.split()) <= words for term in terms)  # whole words, no pieces
    mixed = db.execute("SELECT id FROM items WHERE title LIKE 'AI-OCRで%'").fetchone()[0]
    shown = explain_item(db, load_taxonomy(), tmp_path / "m", mixed)
    terms = [t["term"] for t in shown["quadrant_terms"] + shown["relevance_terms"]]
    assert terms and not [t for t in terms if not t.isascii() and re.search("[A-Za-z]", t)]
    cashless = db.execute("SELECT id, title FROM items WHERE title LIKE 'キャッシュレス%'")
    cashless = cashless.fetchone()
    shown = explain_item(db, load_taxonomy(), tmp_path / "m", cashless[0])
    terms = [t["term"] for t in shown["relevance_terms"] if not t["term"].isascii()]
    assert terms and all(term in cashless[1] for term in terms)  # stretches of the headline
    assert max(map(len, terms)) >= 5  # overlapping n-grams joined, not キャッ, シュレ, ...


def _add_item(db, title: str) -> int:  # type: ignore[no-untyped-def]
    """One Japanese item in feed 'f' (from ``_fill``); its id."""
    db.execute(
        "INSERT INTO items (feed_id, key, link, canonical_url, title, published_at, fetched_at,"
        " lang) VALUES ('f', ?, '', '', ?, '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z', 'ja')",
        [f"x-{title}", title],
    )
    return int(db.execute("SELECT id FROM items WHERE key = ?", [f"x-{title}"]).fetchone()[0])


def test_explanations_show_topic_terms_and_when_the_rules_decide(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    item = _add_item(db, "不正アクセスで窓口が停止")
    rules = explain_item(db, load_taxonomy(), tmp_path / "none", item)
    assert rules["model"] == "rules" and rules["mentions"] == []
    assert {t["term"]: t["quadrant"] for t in rules["topic_terms"]} == {
        "不正アクセス": "cloud-infra-security", "窓口": "services-work",
    }  # fmt: skip
    assert rules["quadrant"] is None  # one term each way: the rules stay silent
    item = _add_item(db, "市役所でキャッシュレス決済")
    cashless = explain_item(db, load_taxonomy(), tmp_path / "none", item)
    assert cashless["mentions"] and "キャッシュ" not in [t["term"] for t in cashless["topic_terms"]]


def test_staff_queue_skips_tagged_items(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    first = staff_queue(db, load_taxonomy(), seed=1)
    set_tag(db, first[0]["id"], by="sato", now=FIXED_NOW, quadrant="ai-data")
    again = staff_queue(db, load_taxonomy(), seed=1)
    assert len(first) == 15
    assert first[0]["id"] not in {row["id"] for row in again}


def test_evaluation_uses_only_tags_the_model_never_saw(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    models = tmp_path / "m"
    set_tag(db, 1, by="sato", now=FIXED_NOW, quadrant="services-work")
    train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW)
    before = evaluate_current(db, load_taxonomy(), models)
    set_tag(db, 2, by="sato", now=FIXED_NOW, quadrant="ai-data", relevant=False)
    after = evaluate_current(db, load_taxonomy(), models)
    assert before["tagged"] == 1 and before["heldout"] == 0  # item 1 was trained on
    assert after["tagged"] == 2 and after["heldout"] == 1
    assert after["metrics"]["basis"] == "tagged"
    assert "overall" in after["rules"]


def test_a_tag_changes_the_next_training(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    taxonomy, models = load_taxonomy(), tmp_path / "m"
    rows = db.execute("SELECT id, title FROM items WHERE title LIKE 'Starlink%'").fetchall()
    train_and_maybe_promote(db, taxonomy, models, FIXED_NOW, force=True)

    def services_share() -> float:
        model = load_version(models)[1]  # type: ignore[index]
        proba = model.topic.predict_proba(model.matrix([model_text(t) for _, t in rows]))
        classes = list(model.topic.classes_)  # the newest items, held out, may hold a class
        return (
            float(proba[:, classes.index("services-work")].mean())
            if "services-work" in classes
            else 0.0
        )

    before = services_share()
    for item_id, _ in rows:
        set_tag(db, item_id, by="sato", now=FIXED_NOW, quadrant="services-work")
    train_and_maybe_promote(db, taxonomy, models, FIXED_NOW, force=True)
    assert services_share() > before + 0.2  # the model learnt from the tags
    quadrants = {
        r[0] for r in db.execute(
            "SELECT s.quadrant FROM scores s JOIN items i ON i.id = s.item_id"
            " WHERE i.title LIKE 'Starlink%'"
        )
    }  # fmt: skip
    assert quadrants == {"services-work"}  # and staff decisions show on their items


def test_a_worse_model_is_not_promoted(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Staff tag 40 items: the older 28 wrongly (noise), the newest 12 (held out) correctly.
    The model trained on the noise does worse on the held-out tags and stays unpromoted."""
    _fill(db)
    models = tmp_path / "m"
    good = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW)
    rows = db.execute("SELECT i.id, s.quadrant FROM items i JOIN scores s ON s.item_id = i.id"
                      " ORDER BY i.published_at").fetchall()  # fmt: skip
    quadrants = sorted({q for _, q in rows})
    chosen = rows[::3][:40]
    for n, (item_id, right) in enumerate(chosen):
        wrong = quadrants[(quadrants.index(right) + 1) % len(quadrants)]
        set_tag(db, item_id, by="noise", now=FIXED_NOW, quadrant=wrong if n < 28 else right)
    worse = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW)
    assert worse.metrics["basis"] == "tagged"
    assert worse.current_metrics is not None
    assert (
        worse.metrics["overall"]["quadrant_macro_f1"]
        < (worse.current_metrics["overall"]["quadrant_macro_f1"])
    )
    assert not worse.promoted
    assert load_version(models)[0] == good.version  # type: ignore[index]


def test_queue_asks_where_the_model_and_the_rules_disagree(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    taxonomy = load_taxonomy()
    starlink = [r[0] for r in db.execute("SELECT id FROM items WHERE title LIKE 'Starlink%'")]
    for item_id in starlink[:9]:
        set_tag(db, item_id, by="sato", now=FIXED_NOW, quadrant="services-work")
    train_and_maybe_promote(db, taxonomy, tmp_path / "m", FIXED_NOW, force=True)
    stored = dict(db.execute(
        "SELECT item_id, quadrant || '/' || model_quadrant FROM scores WHERE item_id = ?",
        [starlink[-1]]).fetchall())  # fmt: skip
    # Nine staff tags make the model sure enough to overrule the named technology's rule
    # (a prior, not a decider); the queue still asks, the rules disagreeing.
    assert stored[starlink[-1]] == "services-work/services-work"
    asked = {row["id"]: row["reason"] for row in staff_queue(db, taxonomy, seed=1)}
    assert {asked.get(i) for i in starlink[9:]} <= {"disagree", "uncertain"}  # all asked


def test_staff_queue_asks_once_per_story_and_not_again_once_tagged(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    db.execute(
        "INSERT INTO stories (id, title_norm, title_head, title_tail, first_published,"
        " last_published) VALUES (1, 't', 't', 't', '2024', '2024')"
    )
    items = [row["id"] for row in staff_queue(db, load_taxonomy(), seed=1)]
    db.execute("UPDATE items SET story_id = 1 WHERE id IN (?, ?)", items[:2])  # one article
    asked = {row["id"] for row in staff_queue(db, load_taxonomy(), seed=1)}
    assert len(asked & set(items[:2])) <= 1
    set_tag(db, items[0], by="sato", now=FIXED_NOW, quadrant="ai-data")
    assert not {row["id"] for row in staff_queue(db, load_taxonomy(), seed=1)} & set(items[:2])
