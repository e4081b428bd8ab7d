"""Sentence meaning: headlines on one topic sit together, in Japanese and English alike."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from radar.classify.meaning import EMBEDDING_DIM, embed
from radar.classify.train import Example, fit_models, predict_quadrants

ENGLISH_TAGS = {
    "ai-data": [
        "Company releases a new large language model for chat",
        "Machine learning model predicts traffic accidents",
        "Open data portal adds datasets on population",
        "Generative AI drafts meeting minutes for officials",
        "Neural network beats doctors at reading x-rays",
        "Data analytics platform visualises city statistics",
        "Image recognition AI detects road damage",
    ],
    "cloud-infra-security": [
        "Ransomware attack encrypts hospital servers",
        "Critical vulnerability found in VPN appliances",
        "Migration of core systems to the public cloud",
        "Data centre outage takes services offline",
        "Patch released for actively exploited server flaw",
        "Phishing campaign steals staff passwords",
        "Backup strategy for virtual machines",
    ],
    "networks-devices": [
        "Carrier launches 5G service in rural areas",
        "New smartphone with a faster chip goes on sale",
        "Satellite internet service reaches remote islands",
        "Wi-Fi 7 routers arrive in shops",
        "Drone delivers parcels to mountain villages",
        "IoT sensors monitor river water levels",
        "Fibre optic network expanded across the region",
    ],
    "services-work": [
        "City lets residents file moving notices online",
        "Remote work rules for public employees revised",
        "Cashless payment accepted at ward offices",
        "Paperless procedures cut waiting times at counters",
        "Electronic signatures approved for contracts",
        "Online booking for health check-ups opens",
        "Mobile app lets citizens report potholes",
    ],
}

JAPANESE_UNSEEN = {
    "対話型AIが住民の問い合わせに自動で回答": "ai-data",
    "サーバーの脆弱性を突いた不正アクセスで情報流出": "cloud-infra-security",
    "離島で衛星インターネットの通信サービス開始": "networks-devices",
    "転入届を窓口に行かずにオンラインで提出できるように": "services-work",
}


def _example(n: int, title: str, lang: str, quadrant: str | None) -> Example:
    return Example(n, title.lower(), lang, "2025", quadrant, None, quadrant is not None,
                   title=title)  # fmt: skip


def test_headlines_on_one_topic_sit_together_across_languages() -> None:
    ja_ai, en_ai, ja_phone, en_phone = embed([
        "政府が生成AIの利用指針を公表",
        "Government publishes guidelines on generative AI use",
        "新型スマートフォンの発売日が決定",
        "New smartphone release date announced",
    ])  # fmt: skip
    assert ja_ai.shape == (EMBEDDING_DIM,)
    assert np.isclose(float(ja_ai @ ja_ai), 1.0, atol=1e-4)
    assert ja_ai @ en_ai > ja_ai @ en_phone
    assert ja_phone @ en_phone > ja_phone @ en_ai


def test_threads_embedding_at_once_get_what_one_thread_gets() -> None:
    titles = ["生成AIの利用指針", "Ransomware hits a hospital", "スマホで住民票を申請"] * 20
    alone = embed(titles)
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(embed, [titles] * 3))
    assert all(np.allclose(alone, other, atol=1e-5) for other in together)


def test_english_tags_teach_japanese_headlines_that_share_no_words() -> None:
    train = [
        _example(n, title, "en", quadrant)
        for n, (quadrant, title) in enumerate(
            (q, t) for q, titles in ENGLISH_TAGS.items() for t in titles
        )
    ]
    models = fit_models(train)
    assert models.meaning is not None
    unseen = [_example(900 + n, t, "ja", None) for n, t in enumerate(JAPANESE_UNSEEN)]
    guess = predict_quadrants(models, models.matrix([e.text for e in unseen]), unseen)
    right = sum(g == q for g, q in zip(guess.model, JAPANESE_UNSEEN.values(), strict=True))
    assert right >= 3, guess.model


def test_relevance_tags_in_english_rank_japanese_municipal_news_higher() -> None:
    municipal = ENGLISH_TAGS["services-work"] + [
        "Ministry sets rules for local government cloud migration",
        "Council adopts open data policy for residents",
    ]
    other = [
        "Game studio announces a sequel to its racing hit",
        "Celebrity phone case sells out in hours",
        "Streaming service raises its monthly price",
        "New sneakers feature self-lacing technology",
        "Film review: the year's biggest space blockbuster",
        "Console sales climb during the holidays",
        "Influencer launches a cooking channel",
    ]
    train = [
        Example(n, t.lower(), "en", "2025", "services-work", n < len(municipal), True, title=t)
        for n, t in enumerate([*municipal, *other])
    ]  # fmt: skip
    models = fit_models(train)
    assert models.meaning_relevance is not None
    unseen = [
        _example(900, "市役所の窓口手続きを電子化、住民の待ち時間を短縮", "ja", None),
        _example(901, "人気ゲームの続編が発売、初週の売り上げが過去最高", "ja", None),
    ]
    city, game = models.relevance_proba(models.matrix([e.text for e in unseen]), unseen)
    assert city > game


def test_remembered_rows_equal_fresh_ones_and_the_memory_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every training embeds the same seed examples: a process remembers their rows, which
    must be exactly what the encoder gives, in any order and mix, within a fixed size."""
    from radar.classify import encoders

    monkeypatch.setattr(encoders, "MEMO_TITLES", 3)
    monkeypatch.setattr(encoders, "_memo", {})
    titles = ["自治体の窓口にAIを導入", "Passkeys reach every browser", "ローカル5Gの実証", "x"]
    for encoder in (encoders.USE, encoders.E5):
        fresh = encoders.embed_with(encoder, titles[:2])
        mixed = encoders.embed_with(encoder, [titles[1], titles[2], titles[0], titles[1]])
        assert np.array_equal(mixed[0], fresh[1]) and np.array_equal(mixed[2], fresh[0])
        assert np.array_equal(mixed[0], mixed[3])
        encoders.embed_with(encoder, titles)
        assert len(encoders._memo[encoder]) == 3
        again = encoders.embed_with(encoder, titles[:1])  # evicted, so computed again
        assert np.allclose(again[0], fresh[0], atol=1e-6)
