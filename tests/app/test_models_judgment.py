"""The Models page shows how far the radar's judgment holds, in the reader's language."""

from __future__ import annotations

import json


def test_models_page_shows_the_ring_mix_and_says_a_young_radar_cannot_be_checked(store, open_page):
    for lang, heading, young in (
        ("en", "How far the radar's judgment holds", "Too few editions"),
        ("ja", "レーダーの判定の確かさ", "公表から1年たった版がまだ少なく"),
    ):
        at = open_page("models", lang).run()

        assert not at.exception
        assert heading in [h.value for h in at.subheader]
        assert any(young in info.value for info in at.info)
        [chart] = at.get("plotly_chart")
        names = [trace["name"] for trace in json.loads(chart.proto.spec)["data"]]
        assert len(names) == 4 and ("Adopt" in names) == (lang == "en")
