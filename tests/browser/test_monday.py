"""A staff member's Monday, in Japanese and in English, in a real browser (issue 13's walk).

Open the radar, click a blip, read its Technology page (no axis label clipped), sign in,
reload and still be signed in, tag an item, override a ring, then follow a link from the
week's digest (composed by the library, as the mail would be) back into the app: same
language, still signed in. Screenshots go to ``screenshots/monday-<lang>-*.png``.
Reuses the demo server of test_browser.py (Debian's chromium; skipped when it is missing).
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from radar.app.i18n import t
from radar.app.session import COOKIE_NAME
from radar.digest.compose import compose
from radar.digest.gather import gather
from radar.labels import ring_name
from radar.store.db import open_db
from radar.taxonomy.load import load_taxonomy
from tests.browser.test_browser import SHOTS, app_url, page  # noqa: F401  (fixtures)
from tests.browser.test_chart_layout import TICKS, TITLES, _boxes, _inside

pytestmark = pytest.mark.slow

WAIT = 90_000  # ms: the machine is shared, a rerun may queue behind other work
PASSWORD = "s3cret-pass"  # the user test_browser.py's server accepts


def _shot(tab: Any, lang: str, step: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"monday-{lang}-{step}.png"))


def _sidebar(tab: Any) -> Any:
    return tab.locator('[data-testid="stSidebar"]')


def _signed_in(tab: Any, lang: str) -> Any:
    return _sidebar(tab).get_by_text(t("signed_in_as", lang, user="sato"))


def _wait_for(check: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)
    return found


def _count(db_path: str, sql: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _click_a_blip(tab: Any) -> None:
    """Click a numbered blip where a person would (Plotly takes clicks on its drag layer)."""
    blip = tab.locator(".js-plotly-plot .scatterlayer .trace:has(.textpoint) .point").first
    box = blip.bounding_box()
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _charts_show_whole_labels(tab: Any) -> None:
    tab.wait_for_selector(".js-plotly-plot .xtick text", timeout=WAIT)
    plots = tab.locator(".js-plotly-plot").all()
    assert len(plots) >= 2
    for plot in plots:
        plot.scroll_into_view_if_needed()
        tab.wait_for_timeout(400)  # Plotly grows its margins to fit labels in a second pass
        frame = plot.locator(".main-svg").first.bounding_box()
        labels = _boxes(plot, TICKS) + _boxes(plot, TITLES)
        assert labels
        for box in labels:
            assert _inside(box, frame), (box, frame)


def _digest_link(db_path: str, url: str, lang: str, tech: str) -> str:
    """The link to ``tech`` in this week's digest, as the HTML mail carries it."""
    db = open_db(Path(db_path))
    try:
        week = db.execute("SELECT max(week) FROM editions").fetchone()[0]
        models = Path(db_path).parent / "models"
        html = compose(gather(db, load_taxonomy(), week, url, models), lang).html
    finally:
        db.close()
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]
    into_app = [h for h in links if h.startswith(url + "/technology?")]
    assert into_app, "the digest links into the app"
    return next((h for h in into_app if f"tech={tech}&" in h), into_app[0])


def _choose(tab, select, name: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an option of a select box; a rerun while the page's charts settle may close it."""
    for _ in range(6):
        select.click(timeout=WAIT)
        try:
            tab.get_by_role("option", name=name, exact=True).click(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            tab.keyboard.press("Escape")
    raise AssertionError(f"the option {name!r} never became clickable")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_staff_members_monday(app_url, page, lang: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, db_path = app_url
    # 1. The radar, in the chosen language.
    page.goto(f"{url}/?lang={lang}", wait_until="networkidle")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=WAIT)
    page.get_by_role("heading", name=t("radar", lang)).first.wait_for(timeout=WAIT)
    _shot(page, lang, "1-radar")

    # 2. A blip opens its Technology page, still in that language.
    _click_a_blip(page)
    page.wait_for_url(re.compile(r"/technology\?"), timeout=WAIT)
    assert f"lang={lang}" in page.url
    tech = re.search(r"tech=([^&]+)", page.url).group(1)  # type: ignore[union-attr]
    page.get_by_text(t("weekly_coverage", lang)).wait_for(timeout=WAIT)
    page.get_by_text(t("edition_week", lang)).first.wait_for(timeout=WAIT)
    _charts_show_whole_labels(page)
    _shot(page, lang, "2-technology")

    # 3. Sign in (Enter in the name field alone does nothing), reload: still signed in.
    name = _sidebar(page).get_by_role("textbox", name=t("user_name", lang))
    name.fill("sato")
    name.press("Enter")
    time.sleep(1.5)
    assert _signed_in(page, lang).count() == 0
    assert _sidebar(page).get_by_text(t("signin_failed", lang)).count() == 0
    _sidebar(page).get_by_role("textbox", name=t("password", lang)).fill(PASSWORD)
    _sidebar(page).get_by_role("button", name=t("sign_in", lang), exact=True).click()
    _signed_in(page, lang).wait_for(timeout=WAIT)
    cookie = _wait_for(lambda: [c for c in page.context.cookies() if c["name"] == COOKIE_NAME])[0]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert PASSWORD not in cookie["value"]
    page.reload(wait_until="networkidle")
    _signed_in(page, lang).wait_for(timeout=WAIT)
    page.get_by_text(t("weekly_coverage", lang)).wait_for(timeout=WAIT)
    _shot(page, lang, "3-signed-in-after-reload")

    # 4. Tag an item from the queue (the page link keeps the language and the sign-in).
    tags = _count(db_path, "SELECT count(*) FROM tags WHERE tagged_by = 'sato'")
    _sidebar(page).get_by_role("link", name=t("tagging", lang)).click()
    page.wait_for_url(re.compile(r"/tagging"), timeout=WAIT)
    _signed_in(page, lang).wait_for(timeout=WAIT)
    page.locator('[class*="st-key-tag_"][class*="_quadrant_"] button').first.click(timeout=WAIT)
    _wait_for(lambda: _count(db_path, "SELECT count(*) FROM tags WHERE tagged_by = 'sato'") > tags)
    _shot(page, lang, "4-tagged")

    # 5. Override the ring of the technology from the radar.
    page.goto(f"{url}/technology?tech={tech}&lang={lang}", wait_until="networkidle")
    _signed_in(page, lang).wait_for(timeout=WAIT)
    form = page.locator('[data-testid="stForm"]').filter(has_text=t("override_save", lang))
    _choose(page, form.locator('[class*="st-key-override_ring"]'), ring_name("hold", lang))
    form.get_by_role("textbox").fill("Monday check: " + lang)
    form.get_by_role("button", name=t("override_save", lang)).click()
    _wait_for(lambda: _count(
        db_path, f"SELECT count(*) FROM overrides WHERE decided_by = 'sato' AND tech_id = '{tech}'"
        f" AND comment = 'Monday check: {lang}'",
    ))  # fmt: skip
    page.get_by_text(t("override_saved", lang, ring=ring_name("hold", lang))).wait_for(timeout=WAIT)
    _shot(page, lang, "5-override")

    # 6. A link in this week's digest leads back in: same language, still signed in.
    link = _digest_link(db_path, url, lang, tech)
    assert f"lang={lang}" in link
    page.goto(link, wait_until="networkidle")
    page.get_by_text(t("weekly_coverage", lang)).wait_for(timeout=WAIT)
    _signed_in(page, lang).wait_for(timeout=WAIT)
    assert f"lang={lang}" in page.url
    _shot(page, lang, "6-digest-link")

    # 7. Signing out ends it: the cookie goes, and a reload stays signed out.
    _sidebar(page).get_by_role("button", name=t("sign_out", lang)).click()
    _sidebar(page).get_by_role("button", name=t("sign_in", lang), exact=True).wait_for(timeout=WAIT)
    _wait_for(lambda: not [c for c in page.context.cookies() if c["name"] == COOKIE_NAME])
    page.reload(wait_until="networkidle")
    page.get_by_text(t("weekly_coverage", lang)).wait_for(timeout=WAIT)
    assert _signed_in(page, lang).count() == 0


def test_the_radar_keeps_a_readable_size_at_1024_px(app_url, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, _ = app_url
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(f"{url}/?lang=ja", wait_until="networkidle")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=WAIT)
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert chart["width"] >= 540  # drawn for 600 px; a fixed column had shrunk it to ~330
    legend = page.locator('[class*="st-key-legend_"]').first.bounding_box()
    assert legend["y"] >= chart["y"] + chart["height"] - 1  # the legend moved below instead
