"""The text model's staying-power reading: wording first, staff fad/standard tags override."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from radar.classify.retrain import score_store, train_and_maybe_promote
from radar.classify.train import Example, build_examples, fit_models
from radar.store.labels import set_tag
from radar.taxonomy.load import load_taxonomy
from tests.conftest import FIXED_NOW

ADOPTION = ["{} を全庁で本格導入", "{} reaches general availability", "{} の調達を開始",
            "{} adopted as a government standard"]  # fmt: skip
HYPE = ["{} が大ブームに", "{} hype: the next big thing?", "{} が話題沸騰",
        "{} craze skyrockets overnight"]  # fmt: skip
THINGS = ["電子契約", "Zero Trust", "ノーコード", "Passkeys", "ドローン", "Metaverse"]


def _row(n: int, title: str, **tag: str) -> dict:
    return {"id": n, "title": title, "summary_text": "", "lang": "ja", "published": "2024",
            "techs": [], "tag_staying": tag.get("staying")}  # fmt: skip


def test_wording_gives_weak_staying_labels_and_staff_tags_override_them() -> None:
    taxonomy = load_taxonomy()
    adoption, hype, plain, fad, unsure = build_examples(
        [_row(1, "電子契約を全庁で本格導入"), _row(2, "メタバースが大ブームに"),
         _row(3, "電子契約の説明会"), _row(4, "ゼロトラストを全庁で本格導入", staying="fad"),
         _row(5, "メタバースが大ブームに", staying="unsure")],
        taxonomy,
    )  # fmt: skip
    assert (adoption.staying, hype.staying, plain.staying) == (True, False, None)
    assert fad.staying is False and fad.staying_tagged
    assert unsure.staying is None and unsure.staying_tagged


def test_staying_model_reads_unseen_items_by_their_wording() -> None:
    train = [
        Example(n, pattern.format(thing), "ja", "2024", None, None, False,
                staying=pattern in ADOPTION)
        for n, (pattern, thing) in enumerate(
            (p, t) for p in ADOPTION + HYPE for t in THINGS for _ in range(3)
        )
    ]  # fmt: skip
    models = fit_models(train)
    assert models.staying is not None
    unseen = [
        "RPA を全庁で本格導入",
        "RPA が大ブームに",
        "WebAssembly reaches general availability",
        "WebAssembly hype: the next big thing?",
    ]
    p = models.staying.predict_proba(models.matrix(unseen))[:, 1]
    assert p[0] > 0.5 > p[1]
    assert p[2] > 0.5 > p[3]


def _fill(db, titles: list[str]) -> None:  # type: ignore[no-untyped-def]
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at) VALUES ('f','F','u','u','t')"
    )
    for n, title in enumerate(titles):
        stamp = f"2024-01-{1 + n % 28:02d}T00:{n % 60:02d}:00Z"
        db.execute(
            "INSERT INTO items (feed_id, key, link, canonical_url, title, published_at,"
            " fetched_at, lang) VALUES ('f', ?, '', '', ?, ?, ?, 'ja')",
            [f"k{n}", title, stamp, stamp],
        )


def test_scores_carry_the_staying_reading_and_a_staff_tag_changes_the_next_model(
    db,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    titles = [p.format(t) + f" {r}" for p in ADOPTION + HYPE for t in THINGS for r in range(2)]
    _fill(db, [*titles, "量子暗号の説明会"])
    taxonomy = load_taxonomy()
    assert score_store(db, taxonomy, tmp_path / "none", FIXED_NOW) == "rules"
    rules = dict(db.execute("SELECT i.title, s.staying FROM scores s JOIN items i"
                            " ON i.id = s.item_id").fetchall())  # fmt: skip
    assert rules["電子契約 を全庁で本格導入 0"] == 1.0
    assert rules["電子契約 が大ブームに 0"] == 0.0
    assert rules["量子暗号の説明会"] is None  # says nothing either way

    models = tmp_path / "models"
    train_and_maybe_promote(db, taxonomy, models, FIXED_NOW, force=True)
    (neutral,) = db.execute("SELECT s.staying FROM scores s JOIN items i ON i.id = s.item_id"
                            " WHERE i.title = '量子暗号の説明会'").fetchone()  # fmt: skip
    quantum = db.execute("SELECT id FROM items WHERE title = '量子暗号の説明会'").fetchone()[0]
    set_tag(db, quantum, by="sato", now=FIXED_NOW, staying="standard")
    train_and_maybe_promote(db, taxonomy, models, FIXED_NOW, force=True)
    (tagged,) = db.execute("SELECT staying FROM scores WHERE item_id = ?", [quantum]).fetchone()
    assert (models / sorted(p.name for p in models.iterdir() if p.is_dir())[-1]
            / "staying.skops").exists()  # fmt: skip
    assert tagged > neutral
    assert np.isfinite(tagged)
