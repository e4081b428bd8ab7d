"""Hostile and unlucky feeds, served by the real local server among well-behaved ones.

Whatever one feed sends (unreadable links, script links, absurd headers, entity bombs,
control characters, markup where text belongs, broken encodings), the run goes on: the bad
item, link or header becomes a counted, recorded problem on that one feed, and every other
feed's items are stored.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from feedserver import Route

from radar import scheduler
from radar.classify.linking import link_store
from radar.classify.retrain import score_store
from radar.digest.compose import compose
from radar.digest.gather import gather
from radar.ingest import parse as parse_module
from radar.ingest import pipeline
from radar.records import FeedSpec
from radar.staying.editions import build_editions, pending_weeks
from radar.store import db as db_module
from radar.store.db import open_db
from radar.store.editions import edition_weeks
from radar.store.feeds import feed_health, fetch_log, sync_feeds
from radar.taxonomy.load import load_taxonomy
from radar.timefmt import from_iso
from tests.conftest import FIXED_NOW

ROOT = Path(__file__).resolve().parents[2]
GOOD_FEEDS = ("/good-1.xml", "/good-2.xml", "/good-3.xml")
ITEMS_PER_GOOD_FEED = 2
NO_TITLE = "(no title)"
CONTROL_CHARS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} - {"\n", "\t"}


def feed_doc(items: list[str], title: str = "Hostile feed", head: str = "") -> bytes:
    """An RSS document from raw item bodies (so tests can put anything in them)."""
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{head}<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://hostile.example/</link>{body}</channel></rss>"
    ).encode()


def item(title: str, link: str | None = None, guid: str | None = None, text: str = "") -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if text:
        parts.append(f"<description>{text}</description>")
    parts.append("<pubDate>Fri, 20 Nov 2026 10:00:00 +0900</pubDate>")
    return "".join(parts)


def serve_good_feeds(server) -> None:  # type: ignore[no-untyped-def]
    for n, path in enumerate(GOOD_FEEDS):
        server.routes[path] = Route(
            body=feed_doc(
                [item(f"Good story {n}-{i}", f"https://news.example/{n}/{i}")
                 for i in range(ITEMS_PER_GOOD_FEED)],
                title=f"Good feed {n}",
            )
        )  # fmt: skip


def subscribe(db, server, *paths: str) -> None:  # type: ignore[no-untyped-def]
    specs = [FeedSpec(id=p.strip("/").removesuffix(".xml"), name=p, url=server.url(p))
             for p in paths]  # fmt: skip
    sync_feeds(db, specs, "config", FIXED_NOW)


def fetch_all(db, settings):  # type: ignore[no-untyped-def]
    return pipeline.run_fetch(db, settings, lambda: FIXED_NOW, everything=True)


def health(db) -> dict:  # type: ignore[no-untyped-def]
    return {row["id"]: row for row in feed_health(db)}


def stored(db, feed_id: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    cursor = db.execute(
        "SELECT title, link, canonical_url, summary_html, summary_text FROM items"
        " WHERE feed_id = ? ORDER BY id",
        [feed_id],
    )
    return [dict(zip(("title", "link", "canonical_url", "html", "text"), row, strict=True))
            for row in cursor]  # fmt: skip


def assert_good_feeds_stored(db) -> None:  # type: ignore[no-untyped-def]
    for path in GOOD_FEEDS:
        feed_id = path.strip("/").removesuffix(".xml")
        assert len(stored(db, feed_id)) == ITEMS_PER_GOOD_FEED, feed_id
        assert health(db)[feed_id]["error_count"] == 0


# --- Item 1: one feed never aborts the run -------------------------------------------------


@pytest.mark.parametrize(
    "link",
    ["http://example.invalid:99999/a", "http://[::1/a"],
    ids=["port-out-of-range", "broken-ipv6"],
)
def test_an_unreadable_item_link_is_dropped_counted_and_the_run_goes_on(
    feed_server, db, settings, link: str
) -> None:  # type: ignore[no-untyped-def]
    serve_good_feeds(feed_server)
    feed_server.routes["/bad.xml"] = Route(
        body=feed_doc([item("Broken link story", link), item("Fine story", "https://ok.example/1")])
    )
    subscribe(db, feed_server, GOOD_FEEDS[0], "/bad.xml", *GOOD_FEEDS[1:])

    summary = fetch_all(db, settings)

    assert (summary.ok, summary.failed) == (4, 0)
    assert_good_feeds_stored(db)
    items = {row["title"]: row for row in stored(db, "bad")}
    assert items["Broken link story"]["link"] == "" and items["Fine story"]["link"]
    assert "1 item link(s) dropped" in health(db)["bad"]["last_warning"]


def test_an_endless_max_age_is_clamped_to_a_day(feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    serve_good_feeds(feed_server)
    feed_server.routes["/cached.xml"] = Route(
        body=feed_doc([item("Cached story", "https://ok.example/c")]),
        headers={"Cache-Control": "max-age=" + "9" * 400},
    )
    subscribe(db, feed_server, "/cached.xml", *GOOD_FEEDS)

    summary = fetch_all(db, settings)

    assert (summary.ok, summary.failed) == (4, 0)
    assert_good_feeds_stored(db)
    row = health(db)["cached"]
    assert row["effective_interval"] == 24 * 60
    assert from_iso(row["next_due_at"]) == FIXED_NOW + timedelta(days=1)


def test_an_endless_retry_after_is_clamped_and_recorded(feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    serve_good_feeds(feed_server)
    feed_server.routes["/busy.xml"] = Route(status=429, headers={"Retry-After": "9" * 400})
    subscribe(db, feed_server, *GOOD_FEEDS[:2], "/busy.xml", GOOD_FEEDS[2])

    summary = fetch_all(db, settings)

    assert (summary.ok, summary.failed) == (3, 1)
    assert_good_feeds_stored(db)
    row = health(db)["busy"]
    assert row["error_count"] == 1 and "HTTP 429" in row["last_error"]
    cap = timedelta(minutes=settings.http.max_backoff_minutes)
    assert FIXED_NOW < from_iso(row["next_due_at"]) <= FIXED_NOW + cap
    assert [r["outcome"] for r in fetch_log(db, "busy")] == ["error"]


def test_an_unexpected_fault_in_one_feed_is_recorded_on_it_and_the_run_goes_on(
    feed_server, db, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # A fault we can no longer cause for real (every known one is fixed): the parser raising
    # something no one expected, for one feed only.
    real_parse = pipeline.parse_feed

    def parse_or_crash(body, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        if url.endswith("/crash.xml"):
            raise RuntimeError("parser bug")
        return real_parse(body, url, *args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_feed", parse_or_crash)
    serve_good_feeds(feed_server)
    feed_server.routes["/crash.xml"] = Route(body=feed_doc([item("Any", "https://ok.example/")]))
    subscribe(db, feed_server, "/crash.xml", *GOOD_FEEDS)

    first = fetch_all(db, settings)
    second = fetch_all(db, settings)

    assert (first.ok, first.failed, second.failed) == (3, 1, 1)
    assert_good_feeds_stored(db)
    row = health(db)["crash"]
    assert row["error_count"] == 2
    assert "RuntimeError: parser bug" in row["last_error"]
    assert [r["outcome"] for r in fetch_log(db, "crash")] == ["error", "error"]
    assert stored(db, "crash") == []


def test_an_unexpected_fault_while_fetching_is_recorded_too(
    feed_server, db, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    real_fetch = pipeline.fetch_feed

    async def fetch_or_crash(client, state, *args, **kwargs):  # type: ignore[no-untyped-def]
        if state.id == "crash":
            raise KeyError("fetch bug")
        return await real_fetch(client, state, *args, **kwargs)

    monkeypatch.setattr(pipeline, "fetch_feed", fetch_or_crash)
    serve_good_feeds(feed_server)
    subscribe(db, feed_server, "/crash.xml", *GOOD_FEEDS)

    summary = fetch_all(db, settings)

    assert (summary.ok, summary.failed) == (3, 1)
    assert_good_feeds_stored(db)
    assert "KeyError" in health(db)["crash"]["last_error"]
    assert len(fetch_log(db, "crash")) == 1


def test_an_entry_that_cannot_be_read_is_skipped_counted_and_named(
    feed_server, db, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # A fault we cannot cause for real any more: cleaning one entry raising unexpectedly.
    real_detect = parse_module.detect_language

    def detect_or_crash(text: str, hint: str | None) -> str:
        if "Doomed" in text:
            raise RuntimeError("language detector bug")
        return real_detect(text, hint)

    monkeypatch.setattr(parse_module, "detect_language", detect_or_crash)
    entries = [item("Doomed story", "https://ok.example/d"), item("Fine", "https://ok.example/f")]
    feed_server.routes["/skip.xml"] = Route(body=feed_doc(entries))
    subscribe(db, feed_server, "/skip.xml")

    summary = fetch_all(db, settings)

    assert (summary.ok, summary.new_items) == (1, 1)
    assert [r["title"] for r in stored(db, "skip")] == ["Fine"]
    warning = health(db)["skip"]["last_warning"]
    assert "1 item(s) skipped as unreadable: RuntimeError: language detector bug" in warning


def _hostile_feeds(server) -> list[str]:  # type: ignore[no-untyped-def]
    server.routes["/port.xml"] = Route(
        body=feed_doc([item("Port", "http://example.invalid:99999/a")])
    )
    server.routes["/ipv6.xml"] = Route(body=feed_doc([item("IPv6", "http://[::1/a")]))
    server.routes["/maxage.xml"] = Route(
        body=feed_doc([item("Max age", "https://ok.example/m")]),
        headers={"Cache-Control": "max-age=" + "9" * 400},
    )
    server.routes["/retry.xml"] = Route(status=429, headers={"Retry-After": "9" * 400})
    return ["/port.xml", "/ipv6.xml", "/maxage.xml", "/retry.xml"]


def test_radar_fetch_all_exits_zero_with_every_hostile_feed(tmp_path: Path, feed_server) -> None:  # type: ignore[no-untyped-def]
    serve_good_feeds(feed_server)
    paths = [GOOD_FEEDS[0], *_hostile_feeds(feed_server), *GOOD_FEEDS[1:]]
    feeds = "".join(f"  - {{name: 'F{p[1:-4]}', url: '{feed_server.url(p)}'}}\n" for p in paths)
    (tmp_path / "feeds.yaml").write_text(
        "settings:\n  http:\n    allow_private: true\n    timeout: 2\nfeeds:\n" + feeds,
        encoding="utf-8",
    )
    env = {**os.environ, "RADAR_DB": str(tmp_path / "r.db"), "COLUMNS": "200",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    env.pop("RADAR_CONFIG", None)

    def radar(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
        return subprocess.run([sys.executable, "-m", "radar.cli", *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=120)  # fmt: skip

    result = radar("fetch", "--all")
    again = radar("fetch", "--all")
    store = open_db(tmp_path / "r.db")
    titles = {row[0] for row in store.execute("SELECT title FROM items")}
    store.close()

    assert result.returncode == 0, result.stderr
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in result.stderr + again.stderr
    assert "6 ok" in result.stdout and "1 failed" in result.stdout
    assert {f"Good story {n}-{i}" for n in range(3) for i in range(2)} <= titles
    assert {"Port", "IPv6", "Max age"} <= titles


def test_the_scheduled_poll_job_survives_hostile_feeds(feed_server, db, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    serve_good_feeds(feed_server)
    subscribe(db, feed_server, *_hostile_feeds(feed_server), *GOOD_FEEDS)
    job_settings = type(settings)(
        db_path=settings.db_path, http=settings.http, models_dir=tmp_path / "models"
    )

    scheduler.poll_feeds(job_settings)  # raises nothing

    assert_good_feeds_stored(db)
    assert health(db)["retry"]["error_count"] == 1


# --- Item 3: only http(s) links are stored as links ----------------------------------------

SCRIPT_LINKS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "  jAvAsCrIpT:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#10;script:alert(1)",
    "&#x01;javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
    "file:///etc/passwd",
    "ftp://files.example/x",
    "mailto:someone@example.org",
    "tel:+81000000",
    "https://",
    "http://exa mple.org/x\x1b[2J",
]


def test_script_and_other_non_web_links_are_never_stored(feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    items = [item(f"Story {n}", link, guid=f"s{n}") for n, link in enumerate(SCRIPT_LINKS)]
    items.append(item("Web story", "https://ok.example/web", guid="web"))
    feed_server.routes["/script.xml"] = Route(body=feed_doc(items))
    subscribe(db, feed_server, "/script.xml")

    fetch_all(db, settings)

    rows = stored(db, "script")
    assert len(rows) == len(SCRIPT_LINKS) + 1
    assert [r["link"] for r in rows if r["link"]] == ["https://ok.example/web"]
    assert all(r["canonical_url"] in ("", "https://ok.example/web") for r in rows)
    stories = [r[0] for r in db.execute("SELECT canonical_url FROM stories")]
    assert all(url is None or url.startswith("https://") for url in stories)
    assert f"{len(SCRIPT_LINKS)} item link(s) dropped" in health(db)["script"]["last_warning"]


def test_script_links_inside_summaries_are_removed(feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    html = (
        '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;&lt;a href=" JaVaScRiPt:alert(2)"&gt;y'
        '&lt;/a&gt;&lt;img src="data:image/svg+xml,&amp;lt;svg onload=alert(3)&amp;gt;"&gt;'
        '&lt;a href="https://ok.example/read"&gt;read&lt;/a&gt;'
    )
    feed_server.routes["/summary.xml"] = Route(
        body=feed_doc([item("Story", "https://ok.example/s", text=html)])
    )
    subscribe(db, feed_server, "/summary.xml")

    fetch_all(db, settings)

    (row,) = stored(db, "summary")
    lowered = row["html"].lower()
    assert "javascript" not in lowered and "data:" not in lowered and "onload" not in lowered
    assert 'href="https://ok.example/read"' in row["html"]


def test_migration_clears_script_links_stored_by_the_previous_release(db_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    previous = tuple(m for m in db_module.MIGRATIONS if m[0] != "010_web_links_only")
    monkeypatch.setattr(db_module, "MIGRATIONS", previous)
    old = open_db(db_path)
    old.execute(
        "INSERT INTO feeds (id, name, url, config_url, site_url, created_at)"
        " VALUES ('f', 'F', 'https://f.example/rss', 'https://f.example/rss',"
        " 'javascript:alert(0)', '2026-01-01')"
    )
    links = {"javascript:alert(1)": "", " JavaScript:alert(2)": "", "data:text/html,x": "",
             "vbscript:x": "", "http://a.example:99999/x": "",
             "https://ok.example/a": "https://ok.example/a"}  # fmt: skip
    for n, link in enumerate(links):
        old.execute(
            "INSERT INTO items (feed_id, key, link, canonical_url, title, published_at,"
            " fetched_at, lang) VALUES ('f', ?, ?, ?, 't', '2026-01-01', '2026-01-01', 'en')",
            [f"k{n}", link, link.strip().lower()],
        )
    old.execute("INSERT INTO stories (canonical_url, title_norm, title_head, title_tail,"
                " first_published, last_published) VALUES"
                " ('javascript:alert(1)', 't', 't', 't', '2026', '2026')")  # fmt: skip
    old.close()
    monkeypatch.undo()

    new = open_db(db_path)

    kept = dict(new.execute("SELECT key, link FROM items ORDER BY id").fetchall())
    assert list(kept.values()) == list(links.values())
    assert new.execute("SELECT canonical_url FROM stories").fetchone()[0] is None
    assert new.execute("SELECT site_url FROM feeds").fetchone()[0] is None
    assert new.execute("SELECT count(*) FROM items").fetchone()[0] == len(links)
    applied = [r[0] for r in new.execute("SELECT name FROM migrations")]
    assert "010_web_links_only" in applied  # later migrations may follow it
    new.close()


def test_the_digest_never_mails_a_script_link(feed_server, db, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    hostile = [item(f"Generative AI pilot in city hall {n}", link, guid=f"ai{n}")
               for n, link in enumerate(SCRIPT_LINKS[:9])]  # fmt: skip
    feed_server.routes["/ai.xml"] = Route(body=feed_doc(hostile))
    subscribe(db, feed_server, "/ai.xml")
    fetch_all(db, settings)
    taxonomy = load_taxonomy()
    link_store(db, taxonomy)
    score_store(db, taxonomy, tmp_path / "models", FIXED_NOW)
    build_editions(db, taxonomy, pending_weeks(db), FIXED_NOW)

    data = gather(db, taxonomy, edition_weeks(db)[0], "https://radar.example", tmp_path / "m")
    shown = [i for group in data.top_items for i in group["items"]]
    html = compose(data, "en").html.lower()

    assert shown, "the hostile items should be among the week's top items"
    assert all(i["link"] == "" for i in shown)
    for scheme in ("javascript", "vbscript", "data:"):
        assert scheme not in html


# --- Item 13 and text fields: markup-only titles, control characters -----------------------


def test_entries_whose_title_is_only_markup_are_kept_with_a_fallback_title(
    feed_server, db, settings
) -> None:  # type: ignore[no-untyped-def]
    feed_server.routes["/img.xml"] = Route(
        body=feed_doc([
            item('&lt;img src="https://cdn.example/a.png"&gt;', "https://blog.example/posts/7"),
            item("<![CDATA[<img src='https://cdn.example/b.png'>]]>", guid="only-guid"),
            item("&lt;br/&gt;", guid="with-text", text="Text of the post tells what it is"),
            item("<![CDATA[<img src='c.png'>]]>"),
            item("<![CDATA[<img src='d.png'>]]>"),
        ])
    )  # fmt: skip
    subscribe(db, feed_server, "/img.xml")

    fetch_all(db, settings)

    titles = [row["title"] for row in stored(db, "img")]
    assert titles == [
        "blog.example/posts/7",
        NO_TITLE,
        "Text of the post tells what it is",
        NO_TITLE,
        NO_TITLE,
    ]


def test_terminal_control_sequences_are_stripped_from_stored_text(
    feed_server, db, settings
) -> None:  # type: ignore[no-untyped-def]
    esc = "\x1b"
    raw = (
        f"Clear{esc}[2J{esc}[H screen, {esc}]0;owned title\x07retitle, "
        f"{esc}]8;;https://evil.example{esc}\\hyperlink{esc}]8;;{esc}\\, bell\x07 nul\x00 del\x7f"
    )
    body = feed_doc(
        [item(raw, "https://ok.example/ctl", text=f"<![CDATA[<p>{raw}</p>\n<p>next</p>]]>")],
        title=f"Feed{esc}[31m red",
    )
    feed_server.routes["/ctl.xml"] = Route(body=body)
    subscribe(db, feed_server, "/ctl.xml")

    fetch_all(db, settings)

    (row,) = stored(db, "ctl")
    assert row["title"] == "Clear screen, retitle, hyperlink, bell nul del"
    for field in ("title", "html", "text"):
        assert not CONTROL_CHARS & set(row[field]), field
    feed_title = db.execute("SELECT title FROM feeds WHERE id = 'ctl'").fetchone()[0]
    assert feed_title == "Feed red"


@pytest.mark.parametrize(
    "ref", ["&#27;[2J", "&#x1b;]0;t&#7;", "&#155;2J", "&#0;", "&#xD800;", "&#x110000;"]
)
def test_control_and_invalid_character_references_do_not_reach_the_store(
    feed_server, db, settings, ref: str
) -> None:  # type: ignore[no-untyped-def]
    feed_server.routes["/ref.xml"] = Route(
        body=feed_doc([item(f"Before{ref}After", "https://ok.example/r", text=f"x{ref}y")])
    )
    subscribe(db, feed_server, "/ref.xml")

    summary = fetch_all(db, settings)

    assert summary.ok == 1, summary.errors
    (row,) = stored(db, "ref")
    assert row["title"].startswith("Before") and row["title"].endswith("After")
    assert not CONTROL_CHARS & set(row["title"] + row["text"] + row["html"])
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in row["title"] + row["text"])


MARKUP = '<script>alert(1)</script><img src=x onerror="alert(2)"><b>bold</b>'
ESCAPED = MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_markup_in_every_text_field_is_stored_inert(feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    entry = (
        f"<title>{ESCAPED} title</title><link>https://ok.example/m</link>"
        f"<description>{ESCAPED} text</description><author>{ESCAPED}</author>"
        f"<category>{ESCAPED}</category><guid isPermaLink='false'>{ESCAPED}</guid>"
    )
    feed_server.routes["/markup.xml"] = Route(
        body=feed_doc([entry], title=f"{ESCAPED} feed").replace(
            b"<link>https://hostile.example/</link>", f"<link>{ESCAPED}</link>".encode()
        )
    )
    subscribe(db, feed_server, "/markup.xml")

    fetch_all(db, settings)

    (row,) = stored(db, "markup")
    assert row["title"] == "bold title"
    assert row["text"] == "bold text"
    assert "<script" not in row["html"] and "onerror" not in row["html"]
    feed_title, site_url = db.execute(
        "SELECT title, site_url FROM feeds WHERE id = 'markup'"
    ).fetchone()
    assert feed_title == "bold feed" and site_url.startswith(feed_server.base + "/")


# --- XML entity attacks and bad encodings ---------------------------------------------------

_LEVELS = "abcdefgh"  # each entity is 16 of the one before: &h; would be 50 * 16**7 chars
LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY a "' + "a" * 50 + '">'
    + "".join(f'<!ENTITY {_LEVELS[n + 1]} "{("&" + _LEVELS[n] + ";") * 16}">' for n in range(7))
    + "]>\n"
)  # fmt: skip


def test_billion_laughs_is_not_expanded(feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    items = [item("&h;", "https://ok.example/1"), item("Plain", "https://ok.example/2")]
    feed_server.routes["/lol.xml"] = Route(body=feed_doc(items, head=LAUGHS))
    subscribe(db, feed_server, "/lol.xml")

    started = time.perf_counter()
    fetch_all(db, settings)
    elapsed = time.perf_counter() - started

    rows = stored(db, "lol")
    assert elapsed < 5
    assert max(len(r["title"]) + len(r["text"]) for r in rows) < 1000
    assert "Plain" in {r["title"] for r in rows}


def test_external_entities_are_never_fetched_or_read(feed_server, db, settings) -> None:  # type: ignore[no-untyped-def]
    feed_server.routes["/secret"] = Route(body=b"SECRET-FROM-THE-SERVER")
    secret_file = Path(settings.db_path).parent / "secret.txt"
    secret_file.write_text("SECRET-FROM-A-FILE", encoding="utf-8")
    head = (
        f'<!DOCTYPE rss [<!ENTITY web SYSTEM "{feed_server.url("/secret")}">'
        f'<!ENTITY file SYSTEM "file://{secret_file}">]>\n'
    )
    entry = item("A &web; &file;", "https://ok.example/x", text="&web; &file;")
    feed_server.routes["/xxe.xml"] = Route(body=feed_doc([entry], head=head))
    subscribe(db, feed_server, "/xxe.xml")

    fetch_all(db, settings)

    assert "/secret" not in [path for path, _ in feed_server.requests]
    dumped = json.dumps(stored(db, "xxe"))
    assert "SECRET" not in dumped


ENCODED = [
    ("utf8-declared-latin1-bytes", "café".encode("latin-1"), "utf-8"),
    ("utf8-declared-shift-jis-bytes", "ガバメント".encode("shift_jis"), "utf-8"),
    ("unknown-encoding-name", "café".encode(), "x-no-such-charset"),
    ("truncated-multibyte", "ガバ".encode()[:-1], "utf-8"),
    ("nul-bytes", b"a\x00b\x00c", "utf-8"),
]


@pytest.mark.parametrize(("raw", "declared"), [c[1:] for c in ENCODED], ids=[c[0] for c in ENCODED])
def test_bad_encodings_store_readable_text_or_record_an_error(
    feed_server, db, settings, raw: bytes, declared: str
) -> None:  # type: ignore[no-untyped-def]
    head = f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'
    body = (
        head.encode()
        + b"<title>T</title><item><title>"
        + raw
        + b"</title><link>https://ok.example/e</link></item></channel></rss>"
    )
    serve_good_feeds(feed_server)
    feed_server.routes["/enc.xml"] = Route(body=body)
    subscribe(db, feed_server, "/enc.xml", *GOOD_FEEDS)

    summary = fetch_all(db, settings)

    assert summary.feeds == 4
    assert_good_feeds_stored(db)
    row = health(db)["enc"]
    rows = stored(db, "enc")
    assert rows or (row["error_count"] == 1 and row["last_error"])
    for r in rows:
        assert r["title"] and not CONTROL_CHARS & set(r["title"])
