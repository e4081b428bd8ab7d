"""Topic terms give a weak quadrant to headlines that name no technology."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.classify.topic_terms import topic_votes
from radar.classify.weak import weak_quadrant
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import TaxonomyError, TopicTerms
from radar.taxonomy.sidefiles import load_topic_terms

QUADRANTS = ("ai-data", "cloud-infra-security", "networks-devices", "services-work")


@pytest.mark.parametrize(
    ("title", "quadrant"),
    [
        ("Android 14 beta arrives on more phones", "networks-devices"),
        ("ランサムウェア被害で市のサーバーが停止", "cloud-infra-security"),
        ("Facebook settles privacy lawsuit", "services-work"),
        ("深層学習で画像認識の精度が向上", "ai-data"),
    ],
)
def test_headlines_naming_no_technology_get_a_quadrant_from_topic_terms(
    title: str, quadrant: str
) -> None:
    assert weak_quadrant([], load_taxonomy(), title) == (quadrant, 0.5)


def test_a_named_technology_outweighs_topic_terms_and_ties_say_nothing() -> None:
    taxonomy = load_taxonomy()
    assert weak_quadrant(["government-cloud"], taxonomy, "スマホで申請") == (
        "cloud-infra-security", 1.0,
    )  # fmt: skip
    assert weak_quadrant([], taxonomy, "smartphone payments") == (None, 0.0)


def test_tied_technologies_are_settled_by_topic_terms_never_by_order() -> None:
    taxonomy = load_taxonomy()
    text = "VRヘッドセットで介護の疑似体験、市の研修"  # one device and one service tech tie
    both = [weak_quadrant(techs, taxonomy, text) for techs in
            (["vr-headset", "metaverse"], ["metaverse", "vr-headset"])]  # fmt: skip
    # VR and ヘッドセット are the named device's own words, not counted again: 研修 decides
    assert both[0] == both[1] == ("services-work", 0.5)
    assert weak_quadrant(["vr-headset", "metaverse"], taxonomy, "") == (None, 0.0)


def test_names_keep_their_case() -> None:
    terms = load_taxonomy().topic_terms
    assert topic_votes("Windows 11 update breaks printers", terms) == {"cloud-infra-security": 1}
    assert topic_votes("cleaning the windows of a house", terms) == {}


def test_a_term_inside_a_technology_name_is_no_cue() -> None:
    terms = load_taxonomy().topic_terms
    assert topic_votes("キャッシュの設定を見直し", terms) == {"cloud-infra-security": 1}
    assert "cloud-infra-security" not in topic_votes("キャッシュレス決済を導入", terms)


def test_a_bad_topic_terms_file_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "topic_terms.yaml"
    path.write_text(
        "ai-data: [machine learning, x]\nweather: [rain]\nservices-work: [Machine Learning]\n"
        "case_sensitive: [Slack]\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as error:
        load_topic_terms(path, QUADRANTS)
    message = str(error.value)
    assert "ai-data[1] 'x' is too short" in message
    assert "unknown quadrant 'weather'" in message
    assert "services-work[0] 'Machine Learning' duplicates ai-data[0]" in message
    assert "case_sensitive: 'Slack' is not listed under a quadrant" in message
    assert str(path) in message


def test_no_topic_terms_file_means_rules_from_technologies_only(tmp_path: Path) -> None:
    assert load_topic_terms(tmp_path / "missing.yaml", QUADRANTS) == TopicTerms()
    assert topic_votes("Android phones", TopicTerms()) == {}
