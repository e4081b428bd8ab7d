"""Training, tags and the model registry, on a small labelled set the test writes itself."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import skops.io as sio

from radar.classify import encoders, vectors
from radar.classify.meaning import EMBEDDING_DIM
from radar.classify.registry import (
    ModelError,
    list_versions,
    load_version,
    read_metrics,
    reads_meaning,
    use_version,
)
from radar.classify.retrain import score_store, train_and_maybe_promote
from radar.classify.train import Example, evaluate, fit_models, split_by_time
from radar.store.labels import TagError, get_tag, set_tag
from radar.store.mentions import link_items
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import Taxonomy, TaxonomyError
from radar.taxonomy.sidefiles import DEFAULT_TAXONOMY_PATH, seeds_for
from tests.conftest import FIXED_NOW

TOPICS = {
    "ai-data": [
        "生成AIの活用を拡大",
        "LLM benchmark results for ChatGPT",
        "AI-OCRで申請書を読み取り",
    ],
    "cloud-infra-security": [
        "ガバメントクラウドへ移行",
        "Kubernetes cluster upgrade",
        "ゼロトラスト導入",
    ],
    "networks-devices": ["ローカル5Gの実証実験", "6G research network", "Starlink backhaul"],
    "services-work": ["マイナンバーカードで申請", "電子署名の普及", "キャッシュレス決済を導入"],
}


def _fill(db) -> None:  # type: ignore[no-untyped-def]
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at) VALUES ('f','F','u','u','t')"
    )
    n = 0
    for titles in TOPICS.values():
        for round_ in range(12):
            for title in titles:
                n += 1
                stamp = (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n)).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                )
                db.execute(
                    "INSERT INTO items (feed_id, key, link, canonical_url, title, published_at,"
                    " fetched_at, lang) VALUES ('f', ?, '', '', ?, ?, ?, ?)",
                    [f"k{n}", f"{title} {round_}", stamp, stamp, "en" if title.isascii() else "ja"],
                )
    link_items(db, _finder(), "k")


def _finder():  # type: ignore[no-untyped-def]
    from radar.classify.mentions import MentionMatcher

    return MentionMatcher.from_taxonomy(load_taxonomy()).find


def test_retagging_replaces_and_records_who_and_when(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    set_tag(db, 1, by="sato", now=FIXED_NOW, quadrant="ai-data")
    set_tag(db, 1, by="suzuki", now=FIXED_NOW, staying="fad")
    tag = get_tag(db, 1)
    assert db.execute("SELECT count(*) FROM tags").fetchone()[0] == 1
    assert tag and tag["quadrant"] == "ai-data" and tag["staying"] == "fad"
    assert tag["tagged_by"] == "suzuki"
    with pytest.raises(TagError):
        set_tag(db, 99999, by="x", now=FIXED_NOW, quadrant="ai-data")


def test_heldout_items_are_never_trained_on() -> None:
    examples = [
        Example(i, f"text {i}", "ja", f"2024-01-{1 + i % 28:02d}", "ai-data", True, i % 2 == 0)
        for i in range(100)
    ]
    train, heldout, basis = split_by_time(examples)
    assert basis == "tagged"
    assert not {e.item_id for e in train} & {e.item_id for e in heldout}
    assert all(e.tagged for e in heldout)


def test_model_learns_quadrants_and_is_judged_on_unseen_text() -> None:
    train = [Example(i, f"{t} {r}".lower(), "ja", "2024", q, q == "services-work", True)
             for i, (q, ts) in enumerate(TOPICS.items()) for t in ts for r in range(8)]  # fmt: skip
    unseen = [
        Example(900, "生成aiで議事録を要約", "ja", "2025", "ai-data", False, True),
        Example(901, "kubernetes security release", "en", "2025", "cloud-infra-security", False,
                True),
        Example(902, "ローカル5g基地局を設置", "ja", "2025", "networks-devices", False, True),
        Example(903, "マイナンバーカードの交付", "ja", "2025", "services-work", True, True),
    ]  # fmt: skip
    metrics = evaluate(fit_models(train), unseen, "tagged")
    assert metrics["overall"]["quadrant_macro_f1"] >= 0.75
    assert metrics["overall"]["n"] == 4


def test_train_writes_skops_promotes_and_rolls_back(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    models = tmp_path / "models"
    first = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW)
    second = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW, force=True)
    versions = list_versions(models)
    assert first.promoted and second.promoted and len(versions) == 2
    assert (models / first.version / "topic.skops").exists()
    assert (models / first.version / "meaning.skops").exists()
    assert reads_meaning(models, first.version)
    card = (models / first.version / "MODEL_CARD.md").read_text()
    assert "Held out" in card and FIXED_NOW.isoformat() in card and "sentence embeddings" in card
    assert f"{len(seeds_for(load_taxonomy()))} seed examples" in card  # trained on, never held out
    # The card states what the staying-power judgment predicts (radar.outcome), in both languages.
    assert "de facto standard a year on" in card and "50% of their level" in card
    assert "事実上の標準" in card
    use_version(models, first.version)
    assert load_version(models)[0] == first.version  # type: ignore[index]
    assert load_version(models)[1].meaning is not None  # type: ignore[index]
    scored = db.execute("SELECT count(*), count(quadrant) FROM scores").fetchone()
    assert scored[0] == scored[1] > 0


def test_version_trained_before_the_meaning_model_still_scores(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    models = tmp_path / "models"
    old = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW).version
    (models / old / "meaning.skops").unlink()
    assert load_version(models)[1].meaning is None  # type: ignore[index]
    db.execute("DELETE FROM scores")
    assert score_store(db, load_taxonomy(), models, FIXED_NOW) == old
    scored = db.execute("SELECT count(*), count(quadrant) FROM scores").fetchone()
    assert scored[0] == scored[1] > 0


def test_relevance_reads_e5_and_a_version_trained_on_use_only_still_scores(  # type: ignore[no-untyped-def]
    db, tmp_path: Path
) -> None:
    """The first training's relevance meaning model reads multilingual-e5-small (issue 17);
    a version whose relevance model was trained on USE columns (before e5) scores as it did."""
    _fill(db)
    models = tmp_path / "models"
    version = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW).version
    loaded = load_version(models)[1]  # type: ignore[index]
    assert loaded.relevance_encoder == encoders.E5
    assert loaded.meaning_relevance.n_features_in_ == encoders.E5_DIM
    assert loaded.meaning.n_features_in_ == EMBEDDING_DIM  # quadrants still read USE
    use_only = fit_models(
        [Example(i, t, "ja", "2024", q, q == "services-work", True, title=t)
         for i, (q, ts) in enumerate(TOPICS.items()) for t in ts],
        meaning=lambda batch: encoders.embed_with(encoders.USE, [e.title for e in batch]),
    )  # fmt: skip
    assert use_only.relevance_encoder == encoders.USE
    sio.dump(use_only.meaning_relevance, models / version / "meaning_relevance.skops")
    assert load_version(models)[1].relevance_encoder == encoders.USE  # type: ignore[index]
    db.execute("DELETE FROM scores")
    assert score_store(db, load_taxonomy(), models, FIXED_NOW) == version
    relevance = [r[0] for r in db.execute("SELECT relevance FROM scores")]
    assert relevance and all(0.0 <= r <= 1.0 for r in relevance)


def test_sentence_model_can_be_left_out_for_speed(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    models = tmp_path / "models"
    plain = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW, sentence_model=False)
    assert (models / plain.version / "topic.skops").exists()
    assert not (models / plain.version / "meaning.skops").exists()
    assert not reads_meaning(models, plain.version)
    assert "sentence embeddings" not in (models / plain.version / "MODEL_CARD.md").read_text()
    scored = db.execute("SELECT count(*), count(quadrant) FROM scores").fetchone()
    assert scored[0] == scored[1] > 0


def test_relevance_can_read_use_alone_so_first_scoring_never_runs_e5(  # type: ignore[no-untyped-def]
    db, tmp_path: Path, monkeypatch
) -> None:
    _fill(db)
    models, taxonomy = tmp_path / "models", load_taxonomy()
    fast = train_and_maybe_promote(db, taxonomy, models, FIXED_NOW, relevance_encoder="use")
    loaded = load_version(models)[1]  # type: ignore[index]
    assert loaded.meaning_relevance is not None and loaded.relevance_encoder == encoders.USE
    assert "e5" not in (models / fast.version / "MODEL_CARD.md").read_text()
    ran: list[str] = []
    real = encoders.embed_with
    monkeypatch.setattr(
        encoders, "embed_with", lambda encoder, titles: ran.append(encoder) or real(encoder, titles)
    )  # a spy: the real encoders still run
    encoders.forget()
    db.execute("DELETE FROM scores")
    db.execute("DELETE FROM embeddings")  # first scoring of every item, as after a bulk import
    score_store(db, taxonomy, models, FIXED_NOW)
    assert ran and set(ran) == {encoders.USE}
    relevance = [r[0] for r in db.execute("SELECT relevance FROM scores")]
    assert len(relevance) == db.execute("SELECT count(*) FROM items").fetchone()[0]
    back = train_and_maybe_promote(db, taxonomy, models, FIXED_NOW, force=True)
    assert back.changed == ("relevance_encoder",)  # named, like a change of seeds
    assert load_version(models)[1].relevance_encoder == encoders.E5  # type: ignore[index]


def test_model_with_untrusted_types_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "models" / "evil"
    folder.mkdir(parents=True)
    sio.dump({"payload": Path("/etc/passwd")}, folder / "topic.skops")
    (folder / "metrics.json").write_text("{}")
    (tmp_path / "models" / "CURRENT").write_text("evil")
    with pytest.raises(ModelError, match="untrusted"):
        load_version(tmp_path / "models")


def test_scoring_writes_in_chunks_and_reports_progress(db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    monkeypatch.setattr("radar.classify.retrain.SCORE_CHUNK", 7)
    calls: list[tuple[int, int]] = []
    score_store(
        db, load_taxonomy(), tmp_path / "none", FIXED_NOW, progress=lambda *a: calls.append(a)
    )
    total = db.execute("SELECT count(*) FROM items").fetchone()[0]
    assert calls[-1] == (total, total) and len(calls) == -(-total // 7)
    assert db.execute("SELECT count(*) FROM scores").fetchone()[0] == total
    calls.clear()
    score_store(
        db, load_taxonomy(), tmp_path / "none", FIXED_NOW, progress=lambda *a: calls.append(a)
    )
    assert calls == []  # nothing left to score


def test_fresh_install_scores_with_weak_rules(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    assert score_store(db, load_taxonomy(), tmp_path / "none", FIXED_NOW) == "rules"
    row = db.execute(
        "SELECT s.quadrant FROM scores s JOIN items i ON i.id = s.item_id"
        " WHERE i.title LIKE 'ガバメントクラウド%'"
    ).fetchone()
    assert row[0] == "cloud-infra-security"


def test_each_item_is_embedded_once_and_scores_the_same_from_stored_vectors(  # type: ignore[no-untyped-def]
    db, tmp_path: Path, monkeypatch
) -> None:
    _fill(db)
    models, taxonomy = tmp_path / "models", load_taxonomy()
    train_and_maybe_promote(db, taxonomy, models, FIXED_NOW)
    items = db.execute("SELECT count(*) FROM items").fetchone()[0]
    assert db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == items
    first = db.execute("SELECT * FROM scores ORDER BY item_id").fetchall()
    db.execute("DELETE FROM scores")
    score_store(db, taxonomy, models, FIXED_NOW)  # the same model, now from stored vectors
    assert db.execute("SELECT * FROM scores ORDER BY item_id").fetchall() == first
    embedded: list[int] = []
    real = vectors.meaning_of
    monkeypatch.setattr(
        vectors, "meaning_of", lambda ex, *rest: embedded.append(len(ex)) or real(ex, *rest)
    )  # a spy: the real encoder still runs
    train_and_maybe_promote(db, taxonomy, models, FIXED_NOW, force=True)
    assert sum(embedded) == len(seeds_for(taxonomy))  # only the seeds, which are not items


def test_seeds_are_trained_on_never_held_out_and_a_change_of_them_is_named(  # type: ignore[no-untyped-def]
    db, tmp_path: Path
) -> None:
    _fill(db)
    tagged = [row[0] for row in db.execute("SELECT id FROM items ORDER BY id LIMIT 30")]
    for item in tagged:
        set_tag(db, item, by="sato", now=FIXED_NOW, relevant=item % 2 == 0)
    models, taxonomy = tmp_path / "models", load_taxonomy()
    first = train_and_maybe_promote(db, taxonomy, models, FIXED_NOW)
    metrics = read_metrics(models, first.version)
    assert set(metrics["trained_tagged_items"]) < set(tagged)
    assert metrics["overall"]["n"] + len(metrics["trained_tagged_items"]) == len(tagged)
    assert first.changed == ()  # nothing to compare with
    fewer = _taxonomy_with_seeds(
        tmp_path / "edited",
        SEED_FILE.read_text(encoding="utf-8").replace(
            "  relevant:\n", "  relevant:\n    - 新しい例文です\n", 1
        ),
    )
    second = train_and_maybe_promote(db, fewer, models, FIXED_NOW, force=True)
    assert second.changed == ("seed_examples",)
    third = train_and_maybe_promote(db, fewer, models, FIXED_NOW, sentence_model=False)
    assert third.changed == ("sentence_model",)


SEED_FILE = DEFAULT_TAXONOMY_PATH.parent / "seed_examples.yaml"


def _taxonomy_with_seeds(folder: Path, seeds: str) -> Taxonomy:
    """The shipped taxonomy and topic terms, with this text as the seed file beside them."""
    folder.mkdir(parents=True)
    for name in ("taxonomy.yaml", "topic_terms.yaml"):
        shutil.copy(DEFAULT_TAXONOMY_PATH.parent / name, folder / name)
    (folder / "seed_examples.yaml").write_text(seeds, encoding="utf-8")
    return load_taxonomy(folder / "taxonomy.yaml")


def test_a_broken_seed_file_stops_only_training_and_says_where(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    broken = _taxonomy_with_seeds(tmp_path / "t", "ai_data:\n  relevant: [AIの記事]\n")
    score_store(db, broken, tmp_path / "none", FIXED_NOW)  # scoring carries on (rules)
    assert db.execute("SELECT count(*) FROM scores").fetchone()[0] > 0
    with pytest.raises(TaxonomyError, match=r"seed_examples.yaml: unknown quadrant 'ai_data'"):
        train_and_maybe_promote(db, broken, tmp_path / "models", FIXED_NOW)


def test_training_an_empty_store_says_so_and_keeps_no_broken_version(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelError, match="no items yet"):
        train_and_maybe_promote(db, load_taxonomy(), tmp_path / "models", FIXED_NOW)
    assert load_version(tmp_path / "models") is None
