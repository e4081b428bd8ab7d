"""Seed examples: the team's labelled headlines teach relevance from the first training run."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.classify.meaning import EMBEDDING_DIM
from radar.classify.train import Example, fit_models, meaning_of, seed_examples
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import TaxonomyError
from radar.taxonomy.sidefiles import load_seed_examples, seeds_for

QUADRANTS = ("ai-data", "cloud-infra-security", "networks-devices", "services-work")


def test_shipped_seeds_cover_every_quadrant_in_both_languages_and_both_answers() -> None:
    seeds = seeds_for(load_taxonomy())
    for lang in ("ja", "en"):
        for quadrant in QUADRANTS:
            answers = {s.relevant for s in seeds if s.lang == lang and s.quadrant == quadrant}
            assert answers == {True, False}, (lang, quadrant)
    assert any(s.quadrant is None for s in seeds)  # "none": not about technology


def test_a_broken_seed_file_names_the_file_and_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "seed_examples.yaml"
    path.write_text(
        "space:\n  relevant: [Rocket news]\n"
        "ai-data:\n  relevant: ['', 生成AIの導入]\n  other: [生成ＡＩの導入]\n"
        "services-work: [not grouped]\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as error:
        load_seed_examples(path, QUADRANTS)
    problems = error.value.problems
    assert all(p.startswith(str(path)) for p in problems)
    assert any("unknown quadrant 'space'" in p for p in problems)
    assert any("ai-data.relevant[0]: must be a headline" in p for p in problems)
    assert any("ai-data.other[0]" in p and "repeats ai-data.relevant[1]" in p for p in problems)
    assert any("services-work: expected the lists" in p for p in problems)
    assert load_seed_examples(tmp_path / "missing.yaml", QUADRANTS) == ()
    path.write_text("ai-data:\n  relevant:\n  other: [AI news]\n", encoding="utf-8")
    assert [s.title for s in load_seed_examples(path, QUADRANTS)] == ["AI news"]  # an emptied list


def test_seeds_teach_relevance_and_the_meaning_quadrants_to_a_store_that_lacks_them() -> None:
    store = [
        Example(n, t.lower(), "en", "2025", quadrant, False, False, title=t)
        for n, (quadrant, t) in enumerate(
            [("cloud-infra-security", f"Kubernetes operator release {n}") for n in range(15)]
            + [("networks-devices", f"New phone leaks ahead of launch {n}") for n in range(15)]
        )
    ]  # fmt: skip
    assert fit_models(store).relevance is None  # one class: nothing to learn from
    models = fit_models([*store, *seed_examples(seeds_for(load_taxonomy()))])
    assert models.relevance is not None and models.meaning_relevance is not None
    # The n-gram quadrant model keeps to the store's own labels; the sentence-meaning model
    # learns every quadrant from the seeds, so a new office's Japanese 窓口 headline is
    # placed from the first training even when its store holds no such item.
    assert set(models.topic.classes_) == {"cloud-infra-security", "networks-devices"}
    assert set(models.meaning.classes_) == set(QUADRANTS)
    unseen = [
        Example(900 + n, title, "ja", "", None, None, False, title=title)
        for n, title in enumerate(
            ["市が住民票のオンライン申請を開始", "人気ゲームの続編、初週で百万本"]
        )
    ]
    city, game = models.relevance_proba(models.matrix([e.text for e in unseen]), unseen)
    assert city > game
    meaning = models.meaning.predict(meaning_of(unseen)[:1, :EMBEDDING_DIM])
    assert list(meaning) == ["services-work"]
