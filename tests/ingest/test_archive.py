"""Back-filling history: archives import like feed items, idempotently, bad rows reported."""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import radar.ingest.archive as archive
from radar.errors import ConfigError
from radar.ingest.archive import (
    ArchiveError,
    ArchiveRow,
    count_rows,
    import_archive,
    parse_record,
)
from radar.ingest.parse import item_key
from radar.ingest.sanitize import to_text
from radar.records import FeedSpec, Item
from radar.store import bulk
from radar.store.db import open_db
from radar.store.feeds import feed_health, feed_status, set_enabled, sync_feeds
from radar.store.items import insert_items
from tests.conftest import FIXED_NOW, SHARED

HISTORY = SHARED / "data" / "history"


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


def _write(path: Path, data: bytes, *, compress: bool = False) -> Path:
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _items(db) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    cursor = db.execute(
        "SELECT id, feed_id, key, guid, link, canonical_url, title, summary_text, summary_html,"
        " published_at, date_missing, lang, story_id FROM items ORDER BY id"
    )
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _by_title(db) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Items keyed by title: a batch is written source by source, so ids follow no file order."""
    return {item["title"]: item for item in _items(db)}


def _story(db, story_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    cursor = db.execute(
        "SELECT canonical_url, n_items, n_sources, first_published, last_published,"
        " title_norm, title_head, title_tail FROM stories WHERE id = ?",
        [story_id],
    )
    columns = [c[0] for c in cursor.description]
    return dict(zip(columns, cursor.fetchone(), strict=True))


ROWS = [
    {"date": "2019-03-01", "title": "Kubernetes 1.14 released", "source": "hackernews",
     "url": "https://kubernetes.io/blog/2019/03/25/kubernetes-1-14-release/", "id": "hn:1"},
    {"date": "2019-03-02", "title": "Rust 1.33 announced", "source": "hackernews",
     "url": "https://blog.rust-lang.org/2019/02/28/Rust-1.33.0.html", "id": "hn:2"},
    {"date": "2019-03-02", "title": "owner / repo: a fast HTTP router", "source": "github-trending",
     "url": "https://github.com/owner/repo", "lang": "go"},
]  # fmt: skip


def test_jsonl_rows_become_cleaned_items_of_one_disabled_archive_feed_per_source(
    db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "history.jsonl", _jsonl(ROWS))

    result = import_archive(db, path, FIXED_NOW)

    assert (result.rows, result.inserted, result.duplicates, result.bad) == (3, 3, 0, 0)
    assert {(s.name, s.feed_id, s.rows, s.inserted) for s in result.sources} == {
        ("hackernews", "archive-hackernews", 2, 2),
        ("github-trending", "archive-github-trending", 1, 1),
    }
    feeds = {f["id"]: f for f in feed_health(db)}
    assert set(feeds) == {"archive-hackernews", "archive-github-trending"}
    for feed in feeds.values():
        assert feed["origin"] == "archive"
        assert feed["enabled"] == 0
        assert feed["disabled_reason"] == "archive source (imported, not polled)"
        assert feed["url"] == f"archive:{feed['name']}"
    assert feeds["archive-hackernews"]["item_count"] == 2
    first = _by_title(db)["Kubernetes 1.14 released"]
    assert first["key"] == "g:hn:1" and first["guid"] == "hn:1"
    assert first["published_at"] == "2019-03-01T00:00:00Z" and first["date_missing"] == 0
    assert first["lang"] == "en"
    hits = db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH '\"Kubernetes\"'")
    assert [r[0] for r in hits] == [first["id"]], "full-text rows come from the existing trigger"


def test_archive_sources_are_listed_after_feeds_never_exported_and_never_enabled(
    db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    sync_feeds(db, [FeedSpec("broken", "Broken", "https://example.org/feed")], "config",
               FIXED_NOW)  # fmt: skip
    db.execute("UPDATE feeds SET error_count = 3 WHERE id = 'broken'")
    import_archive(db, _write(tmp_path / "history.jsonl", _jsonl(ROWS)), FIXED_NOW)
    rows = feed_health(db)
    assert [feed_status(r) for r in rows] == ["failing", "archive", "archive"]
    with pytest.raises(ConfigError, match="imported from an archive, not a feed"):
        set_enabled(db, "archive-hackernews", True, None)
    assert feed_health(db)[1]["enabled"] == 0


def test_csv_with_datetimes_imports_like_jsonl(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": "2021-06-01T09:30:00+09:00", "title": "Passkeys, explained", "source": "blog",
         "url": "https://example.com/passkeys", "summary": "<p>What &amp; why</p>", "lang": "en",
         "id": ""},
        {"date": "2021-06-02T12:00:00", "title": "Zero trust, in practice", "source": "blog",
         "url": "", "summary": "", "lang": "", "id": ""},
    ]  # fmt: skip
    columns = ["date", "title", "url", "source", "summary", "lang", "id"]
    path = _write(tmp_path / "history.csv", _csv(rows, columns))

    result = import_archive(db, path, FIXED_NOW)

    assert (result.rows, result.inserted, result.bad) == (2, 2, 0)
    first, second = _items(db)
    assert first["title"] == "Passkeys, explained"
    assert first["published_at"] == "2021-06-01T00:30:00Z", "offsets become UTC"
    assert first["summary_text"] == "What & why"
    assert first["summary_html"] == "What &amp; why", "plain text, escaped"
    assert second["published_at"] == "2021-06-02T12:00:00Z", "no offset means UTC"
    assert second["link"] == "" and second["key"].startswith("t:")


@pytest.mark.parametrize("name", ["history.csv", "history.txt"])
def test_gzip_is_recognised_by_magic_bytes_not_by_name(db, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    gz_jsonl = _write(tmp_path / name, _jsonl(ROWS), compress=True)
    plain_named_gz = _write(
        tmp_path / "plain.csv.gz", _csv(ROWS, ["date", "title", "url", "source", "id", "lang"])
    )

    assert import_archive(db, gz_jsonl, FIXED_NOW).inserted == 3
    assert count_rows(gz_jsonl) == 3
    again = import_archive(db, plain_named_gz, FIXED_NOW)
    assert (again.rows, again.inserted, again.duplicates) == (3, 0, 3)


def test_gzipped_csv_imports(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path / "h.csv.gz",
        _csv(ROWS, ["date", "title", "url", "source", "id", "lang"]),
        compress=True,
    )
    assert import_archive(db, path, FIXED_NOW).inserted == 3
    assert count_rows(path) == 3


def test_bad_rows_are_counted_with_line_numbers_while_the_rest_imports(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        json.dumps(ROWS[0]),
        json.dumps({"date": "2019-03-05", "source": "hackernews", "url": "https://a.example/"}),
        "{not json",
        "",
        json.dumps({"date": "March 5th", "title": "When?", "source": "hackernews"}),
        json.dumps(["a", "list"]),
        json.dumps({"date": "2019-03-06", "title": "No source"}),
        json.dumps({"date": "2019-03-06", "title": "<b></b>", "source": "hackernews"}),
        json.dumps({"date": "0001-01-01", "title": "Year one", "source": "hackernews"}),
        json.dumps({"date": "2027-01-01", "title": "Tomorrow's news", "source": "hackernews"}),
        json.dumps(ROWS[1]),
    ]
    path = _write(tmp_path / "h.jsonl", ("\n".join(lines) + "\n").encode())

    result = import_archive(db, path, FIXED_NOW)

    assert (result.rows, result.inserted, result.bad) == (10, 2, 8)
    reasons = {bad.line: bad.reason for bad in result.bad_examples}
    assert reasons[2] == "missing title"
    assert reasons[3].startswith("not valid JSON")
    assert reasons[5] == "unreadable date 'March 5th'"
    assert reasons[6] == "not a JSON object"
    assert reasons[7] == "missing source"
    assert reasons[8] == "title has no visible text"
    assert reasons[9] == "unreadable date '0001-01-01'"
    assert reasons[10] == "date is in the future", "FIXED_NOW is 2026-11-23"
    assert set(_by_title(db)) == {"Kubernetes 1.14 released", "Rust 1.33 announced"}


def test_bad_csv_rows_are_counted_too(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "date,title,source,url\n"
        "2020-01-01,Good one,blog,https://a.example/1\n"
        "2020-01-02,,blog,https://a.example/2\n"
        "2020-13-40,Bad date,blog,https://a.example/3\n"
        '2020-01-03,"Multi\nline title",blog,https://a.example/4\n'
        "2020-01-04,Short row\n"
    )
    path = _write(tmp_path / "h.csv", text.encode())

    result = import_archive(db, path, FIXED_NOW)

    assert (result.rows, result.inserted, result.bad) == (5, 2, 3)
    assert [(b.line, b.reason) for b in result.bad_examples] == [
        (3, "missing title"),
        (4, "unreadable date '2020-13-40'"),
        (7, "missing source"),
    ]
    assert "Multi line title" in [i["title"] for i in _items(db)]


def test_rows_with_unparseable_links_are_bad_rows_and_later_rows_still_import(
    db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ROWS[0],
        {"date": "2019-03-03", "title": "Port too big", "source": "hn",
         "url": "http://a.example:99999/x"},
        {"date": "2019-03-03", "title": "Open bracket", "source": "hn", "url": "http://[::1/p"},
        ROWS[1],
    ]  # fmt: skip
    path = _write(tmp_path / "h.jsonl", _jsonl(rows))

    first = import_archive(db, path, FIXED_NOW)
    again = import_archive(db, path, FIXED_NOW)

    assert (first.rows, first.inserted, first.bad) == (4, 2, 2)
    reasons = {bad.line: bad.reason for bad in first.bad_examples}
    assert reasons[2].startswith("unreadable url 'http://a.example:99999/x'")
    assert "Port out of range" in reasons[2]
    assert reasons[3].startswith("unreadable url 'http://[::1/p'")
    assert set(_by_title(db)) == {"Kubernetes 1.14 released", "Rust 1.33 announced"}
    assert (again.rows, again.inserted, again.duplicates, again.bad) == (4, 0, 2, 2)


def test_an_unforeseen_failure_on_one_row_costs_only_that_row(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    real = archive.detect_language

    def fragile(text: str, hint: str | None) -> str:  # a cleaning bug no real row can trigger
        if "Rust" in text:
            raise RuntimeError("boom")
        return real(text, hint)

    monkeypatch.setattr(archive, "detect_language", fragile)
    path = _write(tmp_path / "h.jsonl", _jsonl(ROWS))

    result = import_archive(db, path, FIXED_NOW)

    assert (result.rows, result.inserted, result.bad) == (3, 2, 1)
    assert [(b.line, b.reason) for b in result.bad_examples] == [
        (2, "unusable row (RuntimeError: boom)")
    ]


def test_csv_without_a_required_column_is_refused_before_anything_is_written(
    db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "h.csv", b"day,title,source\n2020-01-01,x,blog\n")
    with pytest.raises(ArchiveError, match="lacks date"):
        import_archive(db, path, FIXED_NOW)
    assert _items(db) == [] and feed_health(db) == []


def test_truncated_gzip_keeps_the_rows_before_the_damage(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": "2020-01-01", "title": f"Headline number {n}", "source": "s", "id": str(n)}
        for n in range(3000)
    ]
    data = gzip.compress(_jsonl(rows))
    path = _write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])

    with pytest.raises(ArchiveError, match="corrupt or truncated"):
        import_archive(db, path, FIXED_NOW, batch_size=500)
    kept = len(_items(db))
    assert 0 < kept < 3000
    full = _write(tmp_path / "full.jsonl.gz", data)
    assert import_archive(db, full, FIXED_NOW).inserted == 3000 - kept


def test_reimport_adds_nothing_and_an_overlapping_file_adds_only_new_rows(
    db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": f"2020-01-{day:02d}", "title": f"{src} reports on day {day}", "source": src,
         "url": f"https://{src}.example/{day}"}
        for day in range(1, 21) for src in ("alpha", "beta")
    ]  # fmt: skip
    first = _write(tmp_path / "first.jsonl", _jsonl(rows[:30]))
    overlap = _write(tmp_path / "second.jsonl.gz", _jsonl(rows[20:]), compress=True)

    assert import_archive(db, first, FIXED_NOW).inserted == 30
    again = import_archive(db, first, FIXED_NOW)
    assert (again.rows, again.inserted, again.duplicates) == (30, 0, 30)
    more = import_archive(db, overlap, FIXED_NOW, batch_size=7)
    assert (more.rows, more.inserted, more.duplicates) == (20, 10, 10)
    assert len(_items(db)) == 40
    assert len(feed_health(db)) == 2
    stories = db.execute("SELECT count(*), sum(n_items) FROM stories").fetchone()
    assert stories == (40, 40)


@pytest.mark.parametrize("batch_size", [5000, 1], ids=["same-batch", "across-batches"])
def test_two_sources_sharing_a_url_become_one_story_with_two_sources(
    db, tmp_path: Path, batch_size: int
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": "2022-05-02", "title": "Example launches a new database", "source": "alpha",
         "url": "https://www.example.com/db?utm_source=x"},
        {"date": "2022-05-01", "title": "A new database from Example", "source": "beta",
         "url": "http://example.com/db#top"},
        {"date": "2022-05-03", "title": "Unrelated headline here", "source": "beta",
         "url": "https://other.example/x"},
    ]  # fmt: skip
    path = _write(tmp_path / "h.jsonl", _jsonl(rows))

    import_archive(db, path, FIXED_NOW, batch_size=batch_size)

    items = [_by_title(db)[row["title"]] for row in rows]
    assert items[0]["story_id"] == items[1]["story_id"] != items[2]["story_id"]
    story = _story(db, items[0]["story_id"])
    assert story["canonical_url"] == "https://example.com/db"
    assert (story["n_items"], story["n_sources"]) == (2, 2)
    assert story["first_published"] == "2022-05-01T00:00:00Z", "an older item moves it back"
    assert story["last_published"] == "2022-05-02T00:00:00Z"
    assert story["title_norm"] == "examplelaunchesanewdatabase"
    assert (story["title_head"], story["title_tail"]) == ("examplelau", "ewdatabase")
    assert (_story(db, items[2]["story_id"])["n_sources"]) == 1


@pytest.mark.parametrize("batch_size", [5000, 1], ids=["same-batch", "across-batches"])
def test_exact_headline_groups_across_sources_only_within_the_story_window(
    db, tmp_path: Path, batch_size: int
) -> None:  # type: ignore[no-untyped-def]
    title = "Ｇｏｖｅｒｎｍｅｎｔ Cloud goes live!"
    rows = [
        {"date": "2023-01-10", "title": title, "source": "alpha", "url": "https://a.example/1"},
        {"date": "2023-01-12", "title": "government cloud goes live", "source": "beta"},
        {"date": "2023-03-01", "title": title, "source": "gamma", "url": "https://c.example/9"},
        {"date": "2023-03-01", "title": "Go live", "source": "alpha", "url": "https://a.example/2"},
        {"date": "2023-03-01", "title": "Go live", "source": "beta", "url": "https://b.example/2"},
    ]
    path = _write(tmp_path / "h.jsonl", _jsonl(rows))

    import_archive(db, path, FIXED_NOW, batch_size=batch_size)

    by_source = {(i["feed_id"], i["title"]): i["story_id"] for i in _items(db)}
    stories = [by_source[f"archive-{row['source']}", to_text(row["title"])] for row in rows]
    assert stories[0] == stories[1], "same normalised headline within three days"
    assert stories[2] != stories[0], "same headline seven weeks later is a new story"
    assert stories[3] != stories[4], "headlines too short to trust are never merged"
    joined = _story(db, stories[0])
    assert (joined["n_items"], joined["n_sources"]) == (2, 2)
    assert joined["canonical_url"] == "https://a.example/1"


def test_archive_item_joins_the_story_of_an_item_fetched_from_a_feed(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db.execute(
        "INSERT INTO feeds (id, name, url, config_url, created_at)"
        " VALUES ('news', 'News', 'https://news.example/feed', 'https://news.example/feed', ?)",
        ["2024-01-01T00:00:00Z"],
    )
    published = datetime(2024, 2, 1, 8, tzinfo=UTC)
    fed = Item(
        key="l:https://example.org/a", guid=None, link="https://example.org/a",
        canonical_url="https://example.org/a", title="Feed headline", summary_html="",
        summary_text="", published=published, date_missing=False, lang="en",
    )  # fmt: skip
    insert_items(db, "news", [fed], FIXED_NOW)
    row = {"date": "2024-02-01", "title": "Archived headline", "source": "history",
           "url": "https://example.org/a?utm_medium=social"}  # fmt: skip
    path = _write(tmp_path / "h.jsonl", _jsonl([row]))

    import_archive(db, path, FIXED_NOW)

    feed_item, archived = _items(db)
    assert feed_item["story_id"] == archived["story_id"]
    story = _story(db, feed_item["story_id"])
    assert (story["n_items"], story["n_sources"]) == (2, 2)
    assert story["first_published"] == "2024-02-01T00:00:00Z"
    assert story["last_published"] == "2024-02-01T08:00:00Z"


def test_japanese_rows_are_detected_and_programming_languages_are_no_hint(
    db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": "2020-04-01", "title": "ガバメントクラウドの先行事業を開始", "source": "ja-news"},
        {"date": "2020-04-01", "title": "Introducing Deno", "source": "jser.info",
         "summary": "Node.jsの作者による新しいランタイムの紹介。"},
        {"date": "2020-04-01", "title": "東京都 生成AI 利用指針", "source": "ja", "lang": "ja"},
        {"date": "2020-04-01", "title": "東京都 生成AI 利用指針 改訂", "source": "ja-news"},
        {"date": "2020-04-01", "title": "octo / tool: 高速", "source": "gh", "lang": "go"},
        {"date": "2020-04-01", "title": "fast router", "source": "gh", "lang": "Python"},
    ]  # fmt: skip
    path = _write(tmp_path / "ja.jsonl", _jsonl(rows))

    import_archive(db, path, FIXED_NOW)

    langs = {title: item["lang"] for title, item in _by_title(db).items()}
    assert [langs[row["title"]] for row in rows] == ["ja", "ja", "ja", "zh", "zh", "en"]


def test_tracking_parameters_are_stripped_from_links(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": "2020-01-01", "title": "Tracked link", "source": "s",
         "url": "https://Example.com/a?id=7&utm_source=rss&fbclid=xyz"},
        {"date": "2020-01-01", "title": "Escaped ampersand", "source": "s",
         "url": "http://example.com/b?x=1&amp;utm_medium=feed&amp;y=2"},
        {"date": "2020-01-01", "title": "Self post", "source": "s", "url": "Self"},
        {"date": "2020-01-01", "title": "Script link", "source": "s", "url": "javascript:alert(1)"},
    ]  # fmt: skip
    path = _write(tmp_path / "h.jsonl", _jsonl(rows))

    import_archive(db, path, FIXED_NOW)

    items = [_by_title(db)[row["title"]] for row in rows]
    assert items[0]["link"] == "https://Example.com/a?id=7"
    assert items[0]["canonical_url"] == "https://example.com/a?id=7"
    assert items[0]["key"] == "l:https://example.com/a?id=7"
    assert items[1]["link"] == "http://example.com/b?x=1&y=2"
    assert [i["link"] for i in items[2:]] == ["", ""], "only web and FTP links are kept"


def test_rows_get_the_same_identity_key_as_feed_entries() -> None:
    published = datetime(2020, 1, 1, tzinfo=UTC)
    link = "https://a.example/x"
    cases = [
        ({"id": "hn:9", "url": link}, item_key("hn:9", link, "T", published)),
        ({"url": link + "?utm_source=z"}, item_key(None, link, "T", published)),
        ({}, item_key(None, "", "T", published)),
    ]
    for extra, expected in cases:
        row = parse_record(1, {"date": "2020-01-01", "title": "T", "source": "s", **extra})
        assert isinstance(row, ArchiveRow)
        assert row.item.key == expected


def test_progress_reports_rows_read_after_every_batch(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": "2020-02-01", "title": f"Headline {n:03d} of the day", "source": f"s{n % 3}"}
        for n in range(25)
    ]
    path = _write(tmp_path / "h.jsonl", _jsonl(rows) + b"\n\n")
    seen: list[int] = []

    result = import_archive(db, path, FIXED_NOW, progress=seen.append, batch_size=10)

    assert seen == [10, 20, 25]
    assert count_rows(path) == result.rows == 25


def test_bulk_insert_skips_stored_and_repeated_keys(db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bulk, "BATCH", 3)
    feed_id = bulk.ensure_archive_feeds(db, ["src"], FIXED_NOW)["src"]
    rows = [
        {"date": "2020-01-01", "title": f"Headline {n} is long enough", "source": "src",
         "id": f"x:{n % 5}"}
        for n in range(8)
    ]  # fmt: skip
    items = [r.item for r in (parse_record(1, row) for row in rows) if isinstance(r, ArchiveRow)]

    assert insert_items(db, feed_id, items, FIXED_NOW) == 5
    assert insert_items(db, feed_id, items, FIXED_NOW) == 0
    assert [i["guid"] for i in _items(db)] == [f"x:{n}" for n in range(5)]
    assert bulk.ensure_archive_feeds(db, ["src"], FIXED_NOW) == {"src": feed_id}


def test_numeric_looking_text_is_stored_verbatim(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "h.csv", b"date,title,source,id\n2020-01-01,1.50,007,0012\n")
    import_archive(db, path, FIXED_NOW)
    (item,) = _items(db)
    assert (item["title"], item["guid"], item["key"]) == ("1.50", "0012", "g:0012")


def _head(path: Path, rows: int) -> bytes:
    with gzip.open(path, "rb") as stream:
        return b"".join(itertools.islice(stream, rows))


@pytest.mark.shared
def test_real_history_archives_import_and_reimport_adds_nothing(tmp_path: Path) -> None:
    en, ja = HISTORY / "headlines-en.jsonl.gz", HISTORY / "headlines-ja.jsonl.gz"
    if not (en.is_file() and ja.is_file()):
        pytest.skip(f"shared history archives not found in {HISTORY} (only on CI/dev machines)")
    en_head = _write(tmp_path / "en-head.jsonl.gz", _head(en, 20_000), compress=True)
    db = open_db(tmp_path / "real.db")
    try:
        first_en = import_archive(db, en_head, FIXED_NOW)
        first_ja = import_archive(db, ja, FIXED_NOW)
        assert (first_en.rows, first_en.bad) == (20_000, 0)
        assert first_en.inserted + first_en.duplicates == 20_000
        assert first_en.inserted > 19_000, "the oldest rows are Reddit posts with unique ids"
        assert (first_ja.rows, first_ja.bad) == (15_440, 0)
        # JSer.info lists some pages more than once; the link is the identity, as in feeds.
        with gzip.open(ja, "rb") as stream:
            distinct = {
                parse_record(0, json.loads(line)).item.canonical_url  # type: ignore[union-attr]
                for line in stream
            }
        assert first_ja.inserted == len(distinct)
        stored = db.execute("SELECT count(*) FROM items").fetchone()[0]
        assert stored == first_en.inserted + first_ja.inserted
        langs = dict(db.execute("SELECT lang, count(*) FROM items GROUP BY lang").fetchall())
        assert langs["ja"] > 0.9 * first_ja.inserted, "JSer rows carry Japanese summaries"
        assert langs["en"] > 0.9 * first_en.inserted
        archive_feeds = [f for f in feed_health(db) if f["origin"] == "archive"]
        assert len(archive_feeds) == len(first_en.sources) + 1
        assert all(f["enabled"] == 0 for f in archive_feeds)
        n_items = db.execute("SELECT sum(n_items) FROM stories").fetchone()[0]
        assert n_items == stored, "every item belongs to exactly one story"
        assert import_archive(db, en_head, FIXED_NOW).inserted == 0
        assert import_archive(db, ja, FIXED_NOW).inserted == 0
    finally:
        db.close()


def test_text_that_cannot_be_stored_is_repaired_not_fatal(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = '{"date": "2020-01-01", "title": "Broken \\ud800 surrogate", "source": "s\\udfff"}\n'
    path = _write(tmp_path / "h.jsonl", line.encode())

    result = import_archive(db, path, FIXED_NOW)

    assert (result.inserted, result.bad) == (1, 0)
    assert _items(db)[0]["title"] == "Broken ? surrogate"
    assert [s.name for s in result.sources] == ["s?"]


def test_a_json_array_file_is_refused_with_a_hint(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "h.json", json.dumps(ROWS).encode())
    with pytest.raises(ArchiveError, match="JSON Lines"):
        import_archive(db, path, FIXED_NOW)
    with pytest.raises(ArchiveError, match="JSON Lines"):
        count_rows(path)


def test_a_failing_write_stops_the_reader_and_restores_the_connection(
    db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"date": "2020-01-01", "title": f"Headline number {n}", "source": "s", "id": str(n)}
        for n in range(200)
    ]
    path = _write(tmp_path / "h.jsonl", _jsonl(rows))
    pragmas = ("cache_size", "wal_autocheckpoint")
    settings = [db.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas]
    calls = []

    def failing(*args: Any) -> dict[str, int]:
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return bulk.insert_feeds_bulk(*args)

    monkeypatch.setattr(archive, "insert_feeds_bulk", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_archive(db, path, FIXED_NOW, batch_size=50)

    assert not [t for t in threading.enumerate() if t.name == "archive-reader"]
    assert len(_items(db)) == 50, "the first batch was committed, the failing one rolled back"
    after = [db.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas]
    assert after == settings
