"""Headlines in Japanese and English are tagged with the technologies they name."""

from __future__ import annotations

import pickle
import random

import pytest

from radar.classify.mentions import Mention, MentionMatcher
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import Taxonomy, Tech, normalise_alias


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def matcher(taxonomy: Taxonomy) -> MentionMatcher:
    return MentionMatcher.from_taxonomy(taxonomy)


def tech(tech_id: str, *aliases: str, **options: object) -> Tech:
    return Tech(tech_id, tech_id, tech_id, "q", tuple(aliases), **options)  # type: ignore[arg-type]


SHIPPED_CASES = [
    # "AI": case-sensitive, never inside another ASCII word, fine between Japanese
    ("生成AI活用の指針を公表", ["generative-ai"]),
    ("AIを導入した窓口", ["ai"]),
    ("庁内でAI活用が進む", ["ai"]),
    ("MAIL server PAID plans AIR quality", []),
    ("a new ai model", []),
    ("Artificial intelligence in city hall", ["ai"]),
    # 5G, ローカル5G and numbers around them
    ("5G基地局の整備", ["5g"]),
    ("ローカル5Gの免許申請", ["local-5g"]),
    ("Local 5G trial at a port", ["local-5g"]),
    ("15G of storage for 2.5G modems", []),
    ("5Gキャリア回線へ移行", ["5g", "full-wireless"]),
    ("6Gと低軌道衛星に期待", ["6g", "leo-satellite"]),
    # NFKC: full-width and half-width forms; dakuten are kept
    ("ＡＩとＤＸ", ["ai"]),
    ("５Ｇ対応", ["5g"]),
    ("ｶﾞﾊﾞﾒﾝﾄｸﾗｳﾄﾞ", ["government-cloud"]),
    ("カハメントクラウド", []),
    ("ガバメントクラウドへの移行", ["government-cloud"]),
    ("Government Cloud in Japan", ["government-cloud"]),
    # case and spelling variants of ASCII names
    ("Kubernetes 1.30 released", ["kubernetes"]),
    ("k8s operators explained", ["kubernetes"]),
    ("ChatGPT", ["chatgpt"]),
    ("chatgpt", ["chatgpt"]),
    ("Chat GPT for city staff", ["chatgpt"]),
    ("Wi-Fi 7 / WiFi / Wi Fi", ["wi-fi"]),
    ("Rust 1.80 is out", ["rust"]),
    ("How to remove rust from a bike", []),
    ("LoRaWAN and LoRa gateways", ["lpwa"]),
    ("LoRA fine-tuning for LLMs", ["llm"]),
    ("FAX廃止とfax machines", ["fax"]),
    # Japanese aliases and their boundaries
    ("ゼロトラストへの移行", ["zero-trust"]),
    ("マイナンバーカードの申請", ["my-number-card"]),
    ("Starlinkを災害時に", ["leo-satellite"]),
    ("スターリンク", ["leo-satellite"]),
    ("ハンコ文化を見直す", ["hanko"]),
    ("ハンコック監督の新作", []),
    ("押印見直しの事例", ["hanko"]),
    ("生成 AI と AI-OCR", ["ai-ocr", "generative-ai"]),
    ("インターネット・エクスプローラーとIE11", ["internet-explorer"]),
    # longest alias wins; overlapping mentions are both kept
    ("生成AIエージェント", ["ai-agent", "generative-ai"]),
    ("Microsoft 365 Copilot", ["microsoft-365", "microsoft-copilot"]),
    ("国産LLMの開発", ["japanese-llm", "llm"]),
    # Japanese-only product names
    ("Teamsで庁内会議", ["microsoft-365"]),
    ("Teams that ship fast", []),
    ("Threadsの新機能", ["threads"]),
    ("Python threads and locks", ["python"]),
    ("Meta Threads app grows", ["threads"]),
    ("LINEで住民票を申請", ["line-app"]),
    ("__LINE__ and ONE LINE OF CODE", []),
    ("DAOで地域づくり", ["web3"]),
    ("DAO pattern in Java", ["java"]),
    # exclusions and parents
    ("iPhone XR review", []),
    ("XRコンテンツを制作", ["xr"]),
    ("PLATEAUの3D都市モデル", ["digital-twin", "plateau"]),
    ("Growth hits a plateau", []),
    # words from the interview
    ("20の基幹業務システムの標準化", ["municipal-system-standardisation"]),
    ("サーバの仮想化を進める", ["virtualisation"]),
    ("災害に強いネットワーク", ["disaster-resilient-communication"]),
    ("メタバースとデジタルツイン", ["digital-twin", "metaverse"]),
    ("オンライン手続のポータル", ["online-procedures"]),
    ("フルワイヤレス化", ["5g", "full-wireless"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), SHIPPED_CASES)
def test_shipped_taxonomy_tags_headline(
    matcher: MentionMatcher, text: str, expected: list[str]
) -> None:
    assert matcher.find(text) == expected


def test_every_shipped_alias_finds_its_own_tech(
    taxonomy: Taxonomy, matcher: MentionMatcher
) -> None:
    missed = []
    for t in taxonomy.techs:
        for alias in t.aliases:
            text = f"{alias}の話題" if alias in t.ja_only else alias
            if t.id not in matcher.find(text):
                missed.append((t.id, alias))
    assert missed == []


def test_every_shipped_alias_is_found_inside_a_sentence(
    taxonomy: Taxonomy, matcher: MentionMatcher
) -> None:
    missed = []
    for t in taxonomy.techs:
        for alias in t.aliases:
            for text in (f"速報：{alias}を導入", f"News: {alias} arrives (updated)"):
                if alias in t.ja_only and "速報" not in text:
                    continue
                if t.id not in matcher.find(text):
                    missed.append(text)
    assert missed == []


def test_matching_many_headlines_gives_the_same_tags_as_one_at_a_time(
    matcher: MentionMatcher,
) -> None:
    rng = random.Random(7)
    planted = [
        ("ガバメントクラウド", "government-cloud"),
        ("Kubernetes", "kubernetes"),
        ("ChatGPT", "chatgpt"),
        ("ローカル5G", "local-5g"),
        ("RPA", "rpa"),
    ]
    fillers = ["市が", "発表", "the council", "weekly", "update", "MAIL", "15G", "検討"]
    headlines, expected = [], []
    for _ in range(3000):
        alias, tech_id = rng.choice(planted)
        words = rng.sample(fillers, 3)
        words.insert(rng.randrange(4), alias)
        headlines.append(" ".join(words))
        expected.append([tech_id])

    assert [matcher.find(h) for h in headlines] == expected


def test_find_mentions_reports_surface_text_and_offsets_in_normalised_text(
    matcher: MentionMatcher,
) -> None:
    mentions = matcher.find_mentions("ＰＬＡＴＥＡＵとローカル５Ｇ")

    assert mentions == [
        Mention("plateau", 0, 7, "PLATEAU"),
        Mention("local-5g", 8, 14, "ローカル5G"),
    ]


def test_matcher_survives_pickling(matcher: MentionMatcher) -> None:
    copy = pickle.loads(pickle.dumps(matcher))

    assert copy.find("生成AIとローカル5G") == ["generative-ai", "local-5g"]


# ------------------------------------------------------- rules, on small taxonomies


RULE_CASES = [
    # short all-caps aliases keep their case; others ignore it
    ([tech("ai", "AI")], "ai and Ai", []),
    ([tech("fax", "fax")], "FAX and Fax", ["fax"]),
    ([tech("rust", "Rust", case_sensitive=("Rust",))], "RUST rust", []),
    # separators are optional inside an alias, also between ASCII and Japanese
    ([tech("wifi", "Wi-Fi")], "wifi", ["wifi"]),
    ([tech("gen", "生成AI")], "生成 AI", ["gen"]),
    ([tech("gc", "ガバメント・クラウド")], "ガバメントクラウド", ["gc"]),
    # ASCII boundaries are letters, digits and underscores only
    ([tech("nft", "NFT")], "NFTアート", ["nft"]),
    ([tech("nft", "NFT")], "NFTs_", []),
    # short katakana must not touch katakana; longer katakana and kanji match anywhere
    ([tech("h", "ハンコ")], "ハンコック", []),
    ([tech("h", "ハンコ")], "脱ハンコへ", ["h"]),
    ([tech("m", "メタバース")], "メタバースプラットフォーム", ["m"]),
    ([tech("q", "量子")], "量子化", ["q"]),
    # longest match wins, across case-sensitive and case-insensitive aliases
    ([tech("ai", "AI"), tech("ocr", "AI-OCR")], "AI-OCRの導入", ["ocr"]),
    ([tech("a", "ab"), tech("b", "abc")], "abc", ["b"]),
    ([tech("a", "東京都"), tech("b", "京都市")], "東京都市", ["a", "b"]),
    # ja_only aliases need kana in the text, not just kanji
    ([tech("t", "Teams", ja_only=("Teams",))], "Teams会議", []),
    ([tech("t", "Teams", ja_only=("Teams",))], "Teamsで会議", ["t"]),
    # parents roll up, transitively
    (
        [tech("a", "alpha", parent="b"), tech("b", "beta", parent="c"), tech("c", "gamma")],
        "alpha",
        ["a", "b", "c"],
    ),
]


@pytest.mark.parametrize(("techs", "text", "expected"), RULE_CASES)
def test_matching_rule(techs: list[Tech], text: str, expected: list[str]) -> None:
    assert MentionMatcher(techs).find(text) == expected


def test_exclude_phrase_hides_the_aliases_inside_it() -> None:
    matcher = MentionMatcher([tech("q", "量子"), tech("xr", "XR")], exclude=["量子化", "iPhone XR"])

    assert matcher.find("量子化と iPhone XR") == []
    assert matcher.find("量子コンピュータとXR") == ["q", "xr"]


def test_matcher_refuses_an_alias_shared_by_two_techs() -> None:
    with pytest.raises(ValueError, match="'Foo' of 'b' is also an alias of 'a'"):
        MentionMatcher([tech("a", "foo"), tech("b", "Foo")])


def test_alias_normalisation_keeps_dakuten_and_folds_width() -> None:
    assert normalise_alias("  ｶﾞﾊﾞﾒﾝﾄ　ｸﾗｳﾄﾞ ") == "ガバメント クラウド"
