"""The charts as drawn by a real browser at the widths staff use: nothing clipped or piled up.

Reuses the demo server of test_browser.py (Debian's chromium; skipped when it is missing).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tests.browser.test_browser import SHOTS, app_url, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

TICKS = ".xtick text, .ytick text, .y2tick text"
TITLES = ".g-xtitle text, .g-ytitle text, .g-y2title text"


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5
    )  # fmt: skip


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5 and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )  # fmt: skip


def _boxes(plot: Any, selector: str) -> list[dict[str, float]]:
    return [box for box in (e.bounding_box() for e in plot.locator(selector).all()) if box]


@pytest.mark.parametrize("width", [1440, 1024])
def test_technology_charts_show_whole_labels(app_url, page, width: int) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, db_path = app_url
    with sqlite3.connect(db_path) as conn:
        tech = conn.execute(
            "SELECT tech_id FROM editions ORDER BY week DESC, score DESC LIMIT 1"
        ).fetchone()[0]
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{url}/technology?tech={tech}", wait_until="networkidle")
    page.wait_for_selector(".js-plotly-plot .xtick text", timeout=60_000)
    plots = page.locator(".js-plotly-plot").all()
    assert len(plots) >= 2  # weekly coverage, each series, ring history: every one checked
    for plot in plots:
        plot.scroll_into_view_if_needed()
        page.wait_for_timeout(400)  # Plotly grows its margins to fit labels in a second pass
        frame = plot.locator(".main-svg").first.bounding_box()
        ticks, titles = _boxes(plot, TICKS), _boxes(plot, TITLES)
        assert ticks and titles
        for box in ticks + titles:
            assert _inside(box, frame), (width, box, frame)
        for tick in ticks:
            assert not any(_overlap(tick, title) for title in titles), (width, tick)
        x_ticks = _boxes(plot, ".xtick text")
        for index, tick in enumerate(x_ticks):
            clash = [o for o in x_ticks[index + 1 :] if _overlap(tick, o)]
            assert not clash, (width, plots.index(plot), tick, clash)
    texts = [e.text_content() or "" for e in page.locator(".js-plotly-plot .ytick text").all()]
    assert not any(text.startswith(".") for text in texts)  # "12", never ".2"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"technology-{width}.png"), full_page=True)


def test_radar_blips_do_not_overlap_and_the_legend_is_beside_them(app_url, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, _ = app_url
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(url + "/", wait_until="networkidle")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=60_000)
    plot = page.locator(".js-plotly-plot").first
    blips = [box for box in _boxes(plot, ".scatterlayer .trace:has(.textpoint) .point") if box]
    assert len(blips) >= 10
    shrunk = [{**b, "x": b["x"] + 2, "y": b["y"] + 2, "width": b["width"] - 4,
               "height": b["height"] - 4} for b in blips]  # fmt: skip
    for index, blip in enumerate(shrunk):
        assert not any(_overlap(blip, other) for other in shrunk[index + 1 :])
    chart_box = plot.bounding_box()
    legend = page.locator('[class*="st-key-legend_"]').first.bounding_box()
    assert legend["x"] >= chart_box["x"] + chart_box["width"] - 1  # beside, not below
    assert legend["y"] < chart_box["y"] + chart_box["height"]
    page.screenshot(path=str(SHOTS / "radar-1440.png"), full_page=True)
