"""Damaged, planted and half-written model files: named, never run, never blocking a retrain."""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import FunctionTransformer

from radar.classify.modelfile import TRUSTED_TYPES, file_types
from radar.classify.registry import (
    current_version,
    list_versions,
    load_usable,
    load_version,
    use_version,
)
from radar.classify.retrain import evaluate_current, score_store, train_and_maybe_promote
from radar.classify.review import explain_item
from radar.classify.versions import STALE_PARTIAL_SECONDS, UNREADABLE
from radar.errors import CorruptModelError, ModelError
from radar.store.db import open_db
from radar.taxonomy.load import load_taxonomy
from tests.classify.test_training import _fill
from tests.conftest import FIXED_NOW


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one trained, promoted version (no sentence model: fast)."""
    root = tmp_path_factory.mktemp("trained")
    db = open_db(root / "radar.db")
    _fill(db)
    train_and_maybe_promote(db, load_taxonomy(), root / "models", FIXED_NOW, sentence_model=False)
    db.close()
    return root


@pytest.fixture
def copy(trained: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A private copy of the trained store and models: (db, models dir, version folder)."""
    shutil.copytree(trained, tmp_path / "s")
    models = tmp_path / "s" / "models"
    db = open_db(tmp_path / "s" / "radar.db")
    yield db, models, models / str(current_version(models))
    db.close()


def _pickle(path: Path) -> None:
    path.write_bytes(pickle.dumps({"not": "skops"}))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _schema(text: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with zipfile.ZipFile(path) as old:
            parts = {n: old.read(n) for n in old.namelist()}
        parts["schema.json"] = text.encode()
        with zipfile.ZipFile(path, "w") as new:
            for name, data in parts.items():
                new.writestr(name, data)

    return damage


DAMAGE = {
    "pickle": ("topic.skops", _pickle),
    "truncated zip": ("features.skops", _truncate),
    "schema not JSON": ("relevance.skops", _schema("{not json")),
    "schema wrong shape": ("topic.skops", _schema('{"__class__": "X"}')),
    "schema a list": ("topic.skops", _schema("[1, 2]")),
    "metrics not JSON": ("metrics.json", lambda p: p.write_text("{oops")),
    "metrics a list": ("metrics.json", lambda p: p.write_text("[]")),
    "features missing": ("features.skops", lambda p: p.unlink()),
}


def test_every_type_training_writes_is_on_the_allowlist(trained: Path, tmp_path: Path) -> None:
    version = trained / "models" / str(current_version(trained / "models"))
    files = [*version.glob("*.skops"), tmp_path / "meaning.skops"]
    sio.dump(LogisticRegression().fit(np.eye(4), ["a", "b", "a", "b"]), files[-1])
    for path in files:
        assert file_types(path) <= TRUSTED_TYPES, path.name


def test_a_function_transformer_nested_in_an_allowed_union_is_refused(copy) -> None:  # type: ignore[no-untyped-def]
    _, models, version = copy
    planted = FeatureUnion([("log", FunctionTransformer(np.log1p))])
    sio.dump(planted, version / "features.skops")
    with pytest.raises(CorruptModelError, match=r"untrusted types.*FunctionTransformer") as error:
        load_version(models)
    assert "numpy.log1p" in str(error.value) and error.value.path.endswith("features.skops")


@pytest.mark.parametrize("case", DAMAGE)
def test_a_damaged_file_is_named_in_a_model_error(copy, case: str) -> None:  # type: ignore[no-untyped-def]
    _, models, version = copy
    filename, damage = DAMAGE[case]
    damage(version / filename)
    with pytest.raises(CorruptModelError) as error:
        load_version(models)
    assert filename in str(error.value) and error.value.path.endswith(filename)
    with pytest.raises(ModelError):  # and it can never be made current again as it is
        use_version(models, version.name)


def test_scoring_falls_back_to_the_rules_and_says_so_once(copy, caplog) -> None:  # type: ignore[no-untyped-def]
    db, models, version = copy
    _truncate(version / "topic.skops")
    taxonomy = load_taxonomy()
    with caplog.at_level(logging.WARNING, logger="radar.classify"):
        assert score_store(db, taxonomy, models, FIXED_NOW) == "rules"
        assert score_store(db, taxonomy, models, FIXED_NOW) == "rules"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "topic.skops" in warnings[0] and "weak rules" in warnings[0]
    scored = db.execute("SELECT count(*), min(model), max(model) FROM scores").fetchone()
    assert scored[0] > 0 and scored[1] == scored[2] == "rules"
    [row] = list_versions(models)
    assert row["current"] and "topic.skops" in row["unreadable"]


def test_explain_and_evaluate_fall_back_to_the_rules(copy) -> None:  # type: ignore[no-untyped-def]
    db, models, version = copy
    _pickle(version / "features.skops")
    item = db.execute("SELECT min(id) FROM items").fetchone()[0]
    explained = explain_item(db, load_taxonomy(), models, item)
    assert explained["model"] == "rules" and explained["quadrant"] == explained["rule_quadrant"]
    result = evaluate_current(db, load_taxonomy(), models)
    assert result["model"] == "rules" and "metrics" not in result


def test_train_replaces_an_unreadable_current_version(copy) -> None:  # type: ignore[no-untyped-def]
    db, models, version = copy
    (version / "metrics.json").write_text("{oops")
    assert load_usable(models) is None and (models / UNREADABLE).exists()
    result = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW, sentence_model=False)
    assert result.promoted and result.current_metrics is None
    assert load_version(models)[0] == result.version != version.name  # type: ignore[index]
    assert not (models / UNREADABLE).exists()
    assert {row["version"] for row in list_versions(models) if "unreadable" not in row} == {
        result.version
    }


def test_a_damaged_current_pointer_is_a_model_error(copy) -> None:  # type: ignore[no-untyped-def]
    _, models, _ = copy
    for text in (b"\xff\xfe", b"../../etc", b".partial-x"):
        (models / "CURRENT").write_bytes(text)
        with pytest.raises(ModelError, match="CURRENT"):
            load_version(models)
        assert load_usable(models) is None


def test_a_killed_training_leaves_no_version_and_is_cleaned_up(  # type: ignore[no-untyped-def]
    copy, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, models, version = copy
    dumped: list[str] = []

    def killed(model: object, path: Path, **kwargs: object) -> None:  # the kill we cannot cause
        if dumped:
            raise KeyboardInterrupt
        dumped.append(str(path))
        sio_dump(model, path, **kwargs)

    sio_dump = sio.dump
    monkeypatch.setattr("radar.classify.registry.sio.dump", killed)
    with pytest.raises(KeyboardInterrupt):
        train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW, sentence_model=False)
    monkeypatch.undo()
    assert [row["version"] for row in list_versions(models)] == [version.name]
    assert current_version(models) == version.name
    [partial] = [p for p in models.iterdir() if p.name.startswith(".partial-")]
    legacy = models / "20240101-000000"  # an old-style version folder without metrics.json
    legacy.mkdir()
    shutil.copy(version / "topic.skops", legacy / "topic.skops")
    with pytest.raises(ModelError):
        use_version(models, legacy.name)
    old = time.time() - STALE_PARTIAL_SECONDS - 60
    os.utime(partial, (old, old))
    result = train_and_maybe_promote(db, load_taxonomy(), models, FIXED_NOW, sentence_model=False)
    left = sorted(p.name for p in models.iterdir() if p.is_dir())
    assert left == sorted([version.name, result.version])
    assert json.loads((models / result.version / "metrics.json").read_text())["overall"]
