"""Japanese titles give whole words (and neighbouring pairs) to the text models."""

from __future__ import annotations

import pytest

from radar.classify.jwords import japanese_words
from radar.classify.topic import build_features

pytest.importorskip("fugashi", reason="Japanese words need the `bench` extra (fugashi)")


def test_a_japanese_title_gives_its_content_words_and_pairs() -> None:
    words = japanese_words("市役所の窓口で転入手続きをオンライン化")
    assert {"窓口", "転入", "手続き"} <= set(words)
    assert "転入 手続き" in words  # neighbours, so compounds count too
    assert "の" not in words and "で" not in words  # particles say nothing about a topic


def test_english_text_gives_no_japanese_words() -> None:
    assert japanese_words("zero trust network rollout at city hall") == []
    assert japanese_words("Wi-Fi 7 の導入") == ["導入"]  # English words have their own part


def test_the_features_read_japanese_words_beside_the_character_ngrams() -> None:
    features = build_features(japanese_words=True)
    matrix = features.fit_transform(["窓口の手続き", "防災の通信端末", "cloud security"])
    names = [name for name, _ in features.transformer_list]
    assert names == ["chars", "words", "ja_words"]
    without = build_features(japanese_words=False).fit_transform(["窓口の手続き"])
    assert matrix.shape[1] > without.shape[1]
