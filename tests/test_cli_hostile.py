"""The `radar` command under hostile text and wrong usage: a readable line, never a traceback.

Feed titles, server messages, item titles and arguments are outside text: markup such as
``[/bold]`` must print literally and terminal escape sequences (ESC [2J, OSC titles) must
not reach the terminal. Usage mistakes exit 2 with one line naming what is wrong.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feeds import numbered, rss
from feedserver import Route
from typer.testing import CliRunner

from radar.cli import app
from radar.records import FeedSpec, Item
from radar.store.db import open_db, transaction
from radar.store.feeds import Attempt, record_attempt, sync_feeds
from radar.store.items import insert_items

ESCAPES = ("\x1b", "\x07", "\x9b")
HOSTILE_TITLE = "Feed [/bold] title \x1b[2J\x1b]0;owned\x07 end"
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """Run `radar` in-process on this test's store and config; (exit code, stdout, stderr)."""
    config = tmp_path / "feeds.yaml"
    if not config.exists():
        config.write_text("settings:\n  http:\n    allow_private: true\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "r.db"), "--config", str(config), *args]
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception  # an unexpected exception fails the test with its traceback
    return result.exit_code, result.stdout, result.stderr


def assert_no_escapes(text: str) -> None:
    assert not any(code in text for code in ESCAPES), repr(text)


@pytest.fixture
def hostile_store(tmp_path: Path) -> Path:
    """A store holding what a hostile feed leaves behind (also as older releases stored it)."""
    db = open_db(tmp_path / "r.db")
    spec = FeedSpec("hostile", HOSTILE_TITLE, "https://hostile.example/feed")
    sync_feeds(db, [spec], "config", NOW)
    item = Item(
        key="g:1", guid="1", link="https://hostile.example/1",
        canonical_url="https://hostile.example/1",
        title="[/x] item \x1b[2J [bold] \x1b]8;;https://evil.example\x07link", summary_html="",
        summary_text="", published=NOW, date_missing=False, lang="en",
    )  # fmt: skip
    with transaction(db):
        insert_items(db, "hostile", [item], NOW)
        record_attempt(
            db, Attempt("hostile", NOW, "error", 500, 10, error="500 [/x] bad [bold] \x1b[2J"), NOW
        )
    db.close()
    return tmp_path


def test_stored_markup_and_escapes_print_literally_in_feeds_and_items(hostile_store: Path) -> None:
    feeds_code, feeds_out, _ = run(hostile_store, "feeds")
    items_code, items_out, _ = run(hostile_store, "items")
    json_code, json_out, _ = run(hostile_store, "feeds", "--json")

    assert (feeds_code, items_code, json_code) == (0, 0, 0)
    assert "Feed [/bold] title" in feeds_out and "500 [/x] bad [bold]" in feeds_out
    assert "[/x] item" in items_out and "[bold]" in items_out
    assert_no_escapes(feeds_out + items_out)
    assert json.loads(json_out)[0]["id"] == "hostile"


def test_markup_in_arguments_is_named_literally(hostile_store: Path) -> None:
    code, _, err = run(hostile_store, "feeds", "disable", "[/x]")
    enabled = run(hostile_store, "feeds", "enable", "[bold]")

    assert code == 2 and "error: feeds: no feed with id '[/x]'" in err
    assert enabled[0] == 2 and "'[bold]'" in enabled[2]
    assert run(hostile_store, "feeds", "disable", "hostile")[:2] == (0, "hostile: disabled\n")


def test_a_hostile_feed_and_server_message_survive_add_fetch_feeds_and_items(
    tmp_path: Path, feed_server
) -> None:  # type: ignore[no-untyped-def]
    items = numbered(2, prefix="[/x] Story [bold]")
    feed_server.routes["/hostile.xml"] = Route(body=rss(items, title="Feed [/bold] title"))
    feed_server.routes["/down.xml"] = Route(status=500, reason="[/x] bad [bold]")
    (tmp_path / "feeds.yaml").write_text(
        "settings:\n  http:\n    allow_private: true\n    timeout: 2\nfeeds:\n"
        f"  - {{name: 'Down [/x]', url: '{feed_server.url('/down.xml')}'}}\n",
        encoding="utf-8",
    )

    added = run(tmp_path, "feeds", "add", feed_server.url("/hostile.xml"))
    fetched = run(tmp_path, "fetch", "--all")
    listed = run(tmp_path, "feeds")
    shown = run(tmp_path, "items")

    assert added[0] == 0 and "Added Feed [/bold] title (feed-bold-title)" in added[1]
    assert fetched[0] == 0 and "1 failed" in fetched[1]
    assert "down-x: fetch: HTTP 500 ([/x] bad [bold])" in fetched[1]
    assert listed[0] == 0 and "Down [/x]" in listed[1] and "([/x] bad [bold])" in listed[1]
    assert shown[0] == 0 and "[/x] Story [bold] number 1" in shown[1]


def test_a_feed_title_with_escape_sequences_is_stored_and_printed_without_them(
    tmp_path: Path, feed_server
) -> None:  # type: ignore[no-untyped-def]
    # XML 1.0 cannot carry ESC, but numeric references to C1 controls and CSI (U+009B) are
    # what a lenient feed can deliver; a name given with --name can carry anything.
    feed_server.routes["/f.xml"] = Route(body=rss(numbered(1), title="Plain"))

    code, out, _ = run(
        tmp_path,
        "feeds",
        "add",
        feed_server.url("/f.xml"),
        "--name",
        "Evil \x1b[2J\x1b]0;t\x07name",
    )
    listed = run(tmp_path, "feeds", "--json")[1]

    assert code == 0 and "Added Evil name (evil-name)" in out
    assert json.loads(listed)[0]["name"] == "Evil name"


def _opml(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "subs.opml"
    path.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head/><body>{body}</body></opml>',
        encoding="utf-8",
    )
    return path


def test_opml_import_reports_every_outline_in_the_table_and_as_json(tmp_path: Path) -> None:
    path = _opml(
        tmp_path,
        '<outline text="News" xmlUrl="https://a.example/feed"/>'
        '<outline text="News" xmlUrl="https://b.example/feed"/>'
        '<outline text="Again" xmlUrl="https://a.example/feed"/>'
        '<outline text="Bracket [/x]" xmlUrl="http://[::1/ok"/>',
    )

    code, out, _ = run(tmp_path, "opml", "import", str(path))
    json_code, json_out, _ = run(tmp_path, "opml", "import", str(path), "--json")

    assert code == 0
    assert "Imported 2 feeds from" in out and "1 already present, 1 refused." in out
    assert "Bracket [/x]" in out and "not a valid URL (Invalid IPv6 URL)" in out
    assert "same feed as outline 1" in out and "news-2" in out
    rows = json.loads(json_out)
    assert json_code == 0
    assert [(r["outline"], r["status"], r["feed_id"]) for r in rows] == [
        (1, "present", "news"), (2, "present", "news-2"), (3, "present", "news"),
        (4, "refused", None),
    ]  # fmt: skip


def test_opml_import_of_deeply_nested_outlines_refuses_that_outline(tmp_path: Path) -> None:
    deep = '<outline text="f">' * 5_000 + '<outline text="D" xmlUrl="https://d.example/"/>'
    path = _opml(tmp_path, deep + "</outline>" * 5_000)

    code, out, _ = run(tmp_path, "opml", "import", str(path))

    assert code == 0 and "nested 5000 folders deep" in out and "Imported 0 feeds" in out


def test_opml_import_over_the_limit_is_one_line_and_can_be_raised(tmp_path: Path) -> None:
    path = _opml(
        tmp_path,
        "".join(f'<outline text="F{i}" xmlUrl="https://f{i}.example/"/>' for i in range(3)),
    )

    code, _, err = run(tmp_path, "opml", "import", str(path), "--max-feeds", "2")
    raised = run(tmp_path, "opml", "import", str(path), "--max-feeds", "3")

    assert code == 2 and err.count("\n") == 1
    assert "more than 2 outlines to import; nothing was imported" in err
    assert raised[0] == 0 and "Imported 3 feeds" in raised[1]


def test_import_archive_lists_rows_with_unusable_links_and_imports_the_rest(
    tmp_path: Path,
) -> None:
    rows = [
        {"date": "2019-03-01", "title": "First", "source": "hn", "url": "https://a.example/1"},
        {"date": "2019-03-01", "title": "Port", "source": "hn", "url": "http://a.example:99999/x"},
        {"date": "2019-03-01", "title": "IPv6", "source": "hn", "url": "http://[::1/p"},
        {"date": "2019-03-02", "title": "Last", "source": "hn", "url": "https://a.example/2"},
    ]
    path = tmp_path / "h.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    code, out, _ = run(tmp_path, "import-archive", str(path))

    assert code == 0, out
    assert "4 rows: 2 new, 0 already stored, 2 unreadable" in out
    assert "line 2: unreadable url 'http://a.example:99999/x'" in out
    assert "line 3: unreadable url 'http://[::1/p'" in out


USAGE_ERRORS = {
    "unknown command": ["nosuchcommand"],
    "tag without item": ["tag"],
    "backtest without --at": ["backtest"],
    "feeds add without url": ["feeds", "add"],
    "limit not a number": ["items", "--limit", "abc"],
    "limit zero": ["items", "--limit", "0"],
    "since not a date": ["items", "--since", "yesterday"],
    "override without comment": ["override", "metaverse", "--ring", "hold"],
    "unknown language": ["radar", "--lang", "fr"],
    "opml file missing": ["opml", "import", "{tmp}/missing.opml"],
    "opml is a directory": ["opml", "import", "{tmp}"],
    "opml entity bomb": ["opml", "import", "{tmp}/bomb.opml"],
    "opml not xml": ["opml", "import", "{tmp}/binary.opml"],
    "opml limit zero": ["opml", "import", "{tmp}/bomb.opml", "--max-feeds", "0"],
    "archive is a directory": ["import-archive", "{tmp}"],
    "archive missing": ["import-archive", "{tmp}/missing.jsonl"],
    "feed url with open bracket": ["feeds", "add", "http://[::1/ok"],
    "feed url with bad port": ["feeds", "add", "http://a.example:99999/x"],
    "feed url not http": ["feeds", "add", "javascript:alert(1)"],
}


@pytest.mark.parametrize("case", USAGE_ERRORS)
def test_usage_errors_exit_2_without_a_traceback(tmp_path: Path, case: str) -> None:
    (tmp_path / "bomb.opml").write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><opml><body>'
        '<outline text="&b;" xmlUrl="https://a.example/"/></body></opml>',
        encoding="utf-8",
    )
    (tmp_path / "binary.opml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    args = [arg.format(tmp=tmp_path) for arg in USAGE_ERRORS[case]]

    code, out, err = run(tmp_path, *args)

    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    assert err.strip(), "the reason is printed on stderr"


def test_a_real_process_prints_one_error_line_for_a_directory(tmp_path: Path) -> None:
    env = {**os.environ, "RADAR_DB": str(tmp_path / "r.db")}
    env.pop("RADAR_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "radar.cli", "opml", "import", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr == f"error: opml import: {tmp_path} is not a file\n"


def test_a_tag_that_says_nothing_is_refused_and_keeps_who_tagged(hostile_store: Path) -> None:
    tagged = run(hostile_store, "tag", "1", "--quadrant", "ai-data", "--by", "sato")
    empty = run(hostile_store, "tag", "1")

    assert tagged[0] == 0
    assert empty[0] == 1 and "--quadrant" in empty[2] and "Traceback" not in empty[2]
    db = open_db(hostile_store / "r.db")
    assert db.execute("SELECT tagged_by FROM tags WHERE item_id = 1").fetchone()[0] == "sato"
    db.close()


def test_items_says_how_many_match_beside_how_many_it_shows(hostile_store: Path) -> None:
    db = open_db(hostile_store / "r.db")
    more = [
        Item(key=f"g:m{n}", guid=f"m{n}", link=f"https://hostile.example/m{n}",
             canonical_url=f"https://hostile.example/m{n}", title=f"Match number {n} here",
             summary_html="", summary_text="", published=NOW, date_missing=False, lang="en")
        for n in range(5)
    ]  # fmt: skip
    with transaction(db):
        insert_items(db, "hostile", more, NOW)
    db.close()

    code, out, _ = run(hostile_store, "items", "--search", "Match", "--limit", "2")

    assert code == 0 and "2 of 5 items" in out


def test_the_language_option_ignores_case(hostile_store: Path) -> None:
    code, _, err = run(hostile_store, "radar", "--lang", "EN")
    assert code == 0, err
