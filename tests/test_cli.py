"""The `radar` command as a user runs it: a real process, real files, a local feed server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from feeds import numbered, rss
from feedserver import Route

from radar.taxonomy.sidefiles import DEFAULT_TAXONOMY_PATH

# Long enough that an 80-column queue table must wrap it.
JAPANESE_TITLE = (
    "ガバメントクラウド移行の記事：標準準拠システムへの切り替えで"
    "自治体の運用経費と職員の作業はどう変わるのか"
)


def radar(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "RADAR_DB": str(tmp_path / "r.db"), "COLUMNS": "200", **(env or {})}
    full_env.pop("RADAR_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "radar.cli", *args], cwd=tmp_path, env=full_env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def config(tmp_path: Path, feed_server) -> Path:  # type: ignore[no-untyped-def]
    feed_server.routes["/ok.xml"] = Route(
        body=rss([*numbered(3), {"title": JAPANESE_TITLE, "guid": "j1"}])
    )
    feed_server.routes["/broken.xml"] = Route(status=500)
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "settings:\n  http:\n    allow_private: true\n    timeout: 2\nfeeds:\n"
        f"  - {{name: Good feed, url: '{feed_server.url('/ok.xml')}'}}\n"
        f"  - {{name: Broken feed, url: '{feed_server.url('/broken.xml')}'}}\n",
        encoding="utf-8",
    )
    return path


def test_fetch_reports_failures_but_exits_zero(tmp_path: Path, config: Path) -> None:
    assert radar(tmp_path, "init").returncode == 0
    result = radar(tmp_path, "fetch", "--all")
    assert result.returncode == 0, result.stderr
    assert "1 ok" in result.stdout and "1 failed" in result.stdout
    assert "4 new items" in result.stdout
    assert "HTTP 500" in result.stdout


def test_feeds_json_shows_health_broken_first(tmp_path: Path, config: Path) -> None:
    radar(tmp_path, "fetch", "--all")
    rows = json.loads(radar(tmp_path, "feeds", "--json").stdout)
    assert [r["name"] for r in rows] == ["Broken feed", "Good feed"]
    assert rows[0]["error_count"] == 1 and rows[1]["item_count"] == 4
    assert rows[1]["last_success_at"] and rows[0]["next_due_at"]


def test_items_json_search_and_limit(tmp_path: Path, config: Path) -> None:
    radar(tmp_path, "fetch", "--all")
    every = json.loads(radar(tmp_path, "items", "--json").stdout)
    found = json.loads(radar(tmp_path, "items", "--json", "--search", "クラウド").stdout)
    limited = json.loads(radar(tmp_path, "items", "--json", "--limit", "2").stdout)
    assert len(every) == 4 and len(limited) == 2
    assert [row["title"] for row in found] == [JAPANESE_TITLE]
    assert {"id", "source", "link", "title", "published", "lang"} <= set(every[0])


def test_a_thousand_word_search_is_a_one_line_usage_error(tmp_path: Path, config: Path) -> None:
    radar(tmp_path, "fetch", "--all")
    result = radar(tmp_path, "items", "--search", " ".join(f"w{i}" for i in range(1000)))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "at most 300 characters" in result.stderr


def test_a_corrupt_model_falls_back_to_the_rules_and_train_replaces_it(
    tmp_path: Path, config: Path
) -> None:
    models = tmp_path / "models"
    (models / "20240101-000000").mkdir(parents=True)
    (models / "20240101-000000" / "metrics.json").write_text("{}")
    (models / "20240101-000000" / "features.skops").write_bytes(b"\x80\x04K\x01.")  # a pickle
    (models / "CURRENT").write_text("20240101-000000\n")
    env = {"RADAR_CLASSIFY_MODELS_DIR": str(models), "RADAR_CLASSIFY_SENTENCE_MODEL": "false"}
    fetched = radar(tmp_path, "fetch", "--all", env=env)
    assert fetched.returncode == 0 and "Traceback" not in fetched.stderr
    assert "features.skops" in fetched.stderr and "weak rules" in fetched.stderr  # said once
    item = json.loads(radar(tmp_path, "items", "--json", env=env).stdout)[0]["id"]
    for args in (("explain", str(item), "--json"), ("evaluate", "--json")):
        result = radar(tmp_path, *args, env=env)
        assert result.returncode == 0 and not result.stderr, result.stderr
        assert json.loads(result.stdout)["model"] == "rules"
    listed = json.loads(radar(tmp_path, "models", "--json", env=env).stdout)
    assert "features.skops" in listed[0]["unreadable"]
    assert "cannot be used" in radar(tmp_path, "models", env=env).stdout
    trained = radar(tmp_path, "train", env=env)
    assert trained.returncode == 0, trained.stderr
    assert "promoted" in trained.stdout
    listed = json.loads(radar(tmp_path, "models", "--json", env=env).stdout)
    assert listed[0]["current"] and "unreadable" not in listed[0]


def test_bad_config_is_a_fatal_error_with_exit_code_2(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text("feeds:\n  - {name: X, url: nope}\n", encoding="utf-8")
    result = radar(tmp_path, "fetch")
    assert result.returncode == 2
    assert "feeds.yaml" in result.stderr and "url" in result.stderr
    assert "Traceback" not in result.stderr


def test_feeds_add_refuses_loopback_unless_allowed(tmp_path: Path, feed_server) -> None:  # type: ignore[no-untyped-def]
    feed_server.routes["/f.xml"] = Route(body=rss(numbered(1), title="Local news"))
    refused = radar(tmp_path, "feeds", "add", feed_server.url("/f.xml"))
    allowed = radar(tmp_path, "feeds", "add", feed_server.url("/f.xml"), "--allow-private")
    bad_scheme = radar(tmp_path, "feeds", "add", "file:///etc/passwd")
    assert refused.returncode == 1 and "private address" in refused.stderr
    assert allowed.returncode == 0 and "Local news" in allowed.stdout
    assert bad_scheme.returncode == 2 and "http(s)" in bad_scheme.stderr


def test_opml_round_trip_and_private_addresses_refused(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Tech"><outline text="Publickey" xmlUrl="https://www.publickey1.jp/atom.xml"/>'
        '</outline><outline text="Intranet" xmlUrl="http://127.0.0.1:9/feed"/></body></opml>',
        encoding="utf-8",
    )
    imported = radar(tmp_path, "opml", "import", str(opml))
    exported = radar(tmp_path, "opml", "export")
    assert imported.returncode == 0 and "Imported 1" in imported.stdout
    assert "refused" in imported.stdout and "127.0.0.1" in imported.stdout
    assert 'xmlUrl="https://www.publickey1.jp/atom.xml"' in exported.stdout
    assert "127.0.0.1" not in exported.stdout


def test_every_command_has_help_with_an_example() -> None:
    import typer.main

    from radar.cli import app

    group = typer.main.get_command(app)
    names = ["init", "fetch", "items", "demo", "run"]
    for name in names:
        command = group.commands[name]  # type: ignore[attr-defined]
        assert command.help and "Example" in command.help, name


def test_classifier_commands_from_tag_to_evaluation(tmp_path: Path, config: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    env = {
        "RADAR_CLASSIFY_MODELS_DIR": str(tmp_path / "models"),
        "RADAR_CLASSIFY_TAXONOMY": str(taxonomy),
    }
    radar(tmp_path, "fetch", "--all", env=env)
    items = json.loads(radar(tmp_path, "items", "--json", env=env).stdout)
    japanese = next(row for row in items if row["lang"] == "ja")
    assert "government-cloud" in japanese["technologies"]
    assert japanese["quadrant"] == "cloud-infra-security"  # weak rules before any training
    queue = json.loads(radar(tmp_path, "queue", "--json", env=env).stdout)
    assert [row["id"] for row in queue] == [japanese["id"]]  # only recent untagged item
    table = radar(tmp_path, "queue", env={**env, "COLUMNS": "80"}).stdout
    assert "…" not in table and japanese["title"][-4:] in table  # wrapped, never cut short
    tagged = radar(tmp_path, "tag", str(japanese["id"]), "--quadrant", "services-work",
                   "--relevant", "yes", "--by", "sato", env=env)  # fmt: skip
    assert tagged.returncode == 0, tagged.stderr
    assert "quadrant services-work, staying not given, relevant yes" in tagged.stdout
    bad = radar(tmp_path, "tag", str(japanese["id"]), "--quadrant", "space", env=env)
    assert bad.returncode == 1 and "quadrant" in bad.stderr
    trained = radar(tmp_path, "train", env=env)
    assert trained.returncode == 0, trained.stderr
    assert "promoted" in trained.stdout
    versions = json.loads(radar(tmp_path, "models", "--json", env=env).stdout)
    assert len(versions) == 1 and versions[0]["current"]
    again = radar(tmp_path, "train", env=env)  # one staff tag: the rules judge themselves
    assert again.returncode == 0, again.stderr
    assert "cannot tell which model is better" in again.stdout
    assert "worse" not in again.stdout.split("cannot tell")[0]
    evaluation = json.loads(radar(tmp_path, "evaluate", "--json", env=env).stdout)
    assert evaluation["tagged"] == 1
    queue = json.loads(radar(tmp_path, "queue", "--json", env=env).stdout)
    assert queue == []  # the only recent item is tagged already
    explained = json.loads(
        radar(tmp_path, "explain", str(japanese["id"]), "--json", env=env).stdout
    )
    assert "government-cloud" in {m["tech"] for m in explained["mentions"]}
    assert explained["tag"] == {
        "quadrant": "services-work",
        "relevant": 1,
        "staying": None,
        "tagged_by": "sato",
    }  # what is stored, beside the guesses
    shown = radar(tmp_path, "explain", str(japanese["id"]), env=env).stdout
    assert "staff tag, stored instead of the guesses above: quadrant services-work" in shown
    added = radar(tmp_path, "techs", "add", "Story Number", "--alias", "Story number",
                  "--quadrant", "services-work", env=env)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "3 items mention it" in added.stdout  # past items re-linked
    assert taxonomy.read_text(encoding="utf-8") == DEFAULT_TAXONOMY_PATH.read_text(
        encoding="utf-8"
    )  # staff additions go to staff/ beside the store, not into the configured file
    assert "story-number" in (tmp_path / "staff" / "taxonomy.yaml").read_text(encoding="utf-8")
    listed = json.loads(radar(tmp_path, "techs", "list", "--json", env=env).stdout)
    assert {"id": "story-number", "items": 3}.items() <= next(
        row for row in listed if row["id"] == "story-number"
    ).items()


def test_demo_builds_a_radar_that_staff_can_override_export_and_backtest(tmp_path: Path) -> None:
    env = {"RADAR_CLASSIFY_MODELS_DIR": str(tmp_path / "models")}
    demo = radar(tmp_path, "demo", "--weeks", "60", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "The radar has 60 weekly editions." in demo.stdout
    version = (tmp_path / "models" / "CURRENT").read_text().strip()
    metrics = json.loads((tmp_path / "models" / version / "metrics.json").read_text())
    assert metrics["recipe"]["relevance_encoder"] == "use"  # a bulk corpus: e5 would take minutes
    edition = json.loads(radar(tmp_path, "radar", "--json", env=env).stdout)
    assert edition["blips"] and {"ring", "score", "movement", "reasons"} <= set(edition["blips"][0])
    tech = edition["blips"][0]["tech_id"]
    decided = radar(tmp_path, "override", tech, "--ring", "hold", "--comment", "Not for us",
                    "--by", "sato", env=env)  # fmt: skip
    assert decided.returncode == 0, decided.stderr
    after = json.loads(radar(tmp_path, "radar", "--json", env=env).stdout)
    blip = next(b for b in after["blips"] if b["tech_id"] == tech)
    assert blip["ring"] == "hold" and blip["human"]
    exported = radar(tmp_path, "radar", "export", "--format", "csv", env=env)
    assert exported.stdout.startswith("name,ring,quadrant,isNew,description")
    week = edition["week"]
    older = radar(tmp_path, "radar", "--week", "2022-W40", "--json", env=env)
    assert json.loads(older.stdout)["week"] == "2022-W40" != week
    result = json.loads(radar(tmp_path, "backtest", "--at", "2022-08-07", "--json", env=env).stdout)
    assert set(result) >= {"at", "n", "model", "baselines"}
    assert {"auc", "auc_ci", "ap", "brier", "p_at_10"} <= set(result["model"])
    assert set(result["baselines"]) == {"persistence", "volume", "series"}
    # Scored with the series held neutral too, on the same truth, and the truth's tiers told.
    assert set(result["model_without_series"]) <= set(result["model"])  # + vs persistence
    assert sum(result["truth_basis"].values()) == result["n"]
    assert result["text_signal"].startswith("used")
    item = json.loads(radar(tmp_path, "items", "--json", "--limit", "1", env=env).stdout)[0]
    tagged = radar(tmp_path, "tag", str(item["id"]), "--staying", "fad", "--by", "sato", env=env)
    assert tagged.returncode == 0, tagged.stderr
    later = json.loads(radar(tmp_path, "backtest", "--at", "2022-08-07", "--json", env=env).stdout)
    assert later["text_signal"].startswith("held neutral: 1 staff staying tags")
    too_late = radar(tmp_path, "backtest", "--at", "2023-06-01", env=env)
    assert too_late.returncode == 1 and "a full year" in too_late.stderr
    preview = radar(tmp_path, "digest", "--preview", str(tmp_path / "d.html"), env=env)
    assert preview.returncode == 0, preview.stderr
    assert "今週のレーダー" in (tmp_path / "d.html").read_text(encoding="utf-8")
    down = {**env, "RADAR_SMTP_HOST": "127.0.0.1", "RADAR_SMTP_PORT": "9",
            "RADAR_SMTP_RETRIES": "1", "RADAR_SMTP_SECURITY": "none"}  # fmt: skip
    failed = radar(tmp_path, "digest", "--to", "kacho@city.example.jp", env=down)
    assert failed.returncode == 1 and "failed" in failed.stdout, failed.stdout + failed.stderr


def test_feeds_calls_a_feed_never_fetched_not_fetched_yet(tmp_path: Path, config: Path) -> None:
    assert radar(tmp_path, "init").returncode == 0
    table = radar(tmp_path, "feeds").stdout
    assert "not fetched yet" in table and " ok " not in table
    rows = json.loads(radar(tmp_path, "feeds", "--json").stdout)
    assert {row["status"] for row in rows} == {"unfetched"}


def test_feeds_table_shows_a_screen_broken_first_after_a_count_by_status(
    tmp_path: Path, config: Path
) -> None:
    """An office with thousands of feeds sees the broken ones and how many are fine, at once."""
    assert radar(tmp_path, "fetch", "--all").returncode == 0
    table = radar(tmp_path, "feeds", "--limit", "1").stdout
    assert "2 feeds: " in table and "1 failing" in table and "1 ok" in table
    assert "Broken feed" in table and "Good feed" not in table  # broken first, one row
    assert "Showing 1 of 2; all: radar feeds --limit 0" in table
    everything = radar(tmp_path, "feeds", "--limit", "0").stdout
    assert "Good feed" in everything and "Showing" not in everything
    assert len(json.loads(radar(tmp_path, "feeds", "--json", "--limit", "1").stdout)) == 2
