"""Configuration: clear errors naming file, feed and field; environment wins; README documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.config import load_settings
from radar.errors import ConfigError
from radar.settings import declared
from radar.settings_doc import with_table

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_feeds_yaml_is_valid_and_has_20_to_30_feeds() -> None:
    settings = load_settings(ROOT / "feeds.yaml", env={})
    langs = {feed.lang for feed in settings.feeds}
    assert 20 <= len(settings.feeds) <= 30
    assert {"ja", "en"} <= langs
    assert settings.timezone == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("feeds:\n  - {name: A, url: ftp://x}\n", ["feeds[0]", "'A'", "url"]),
        ("feeds:\n  - {url: 'https://x.jp/f'}\n", ["feeds[0]", "name"]),
        ("feeds:\n  - {name: A, url: 'https://x/f', interval: 1}\n", ["'A'", "interval"]),
        ("feeds:\n  - {name: A, url: 'https://x/f', colour: red}\n", ["'A'", "colour"]),
        ("feeds:\n  - {name: A, url: 'https://x/f', lang: japanese}\n", ["'A'", "lang"]),
        ("settings:\n  http:\n    timeout: soon\n", ["settings.http.timeout", "number", "'soon'"]),
        ("settings:\n  http:\n    timeuot: 3\n", ["settings.http", "timeuot"]),
        ("settings:\n  general:\n    timezone: Mars/Base\n", ["timezone", "Mars/Base"]),
        (
            "settings:\n  classify:\n    relevance_encoder: bert\n",
            ["classify.relevance_encoder", "'bert'", "e5", "use"],
        ),
        ("feeds: [\n", ["not valid YAML"]),
        (
            "feeds:\n  - {name: Tech News, url: 'https://x/1'}\n"
            "  - {name: tech news, url: 'https://x/2'}\n",
            ["'tech news'", "name", "repeats"],
        ),
    ],
)
def test_invalid_configuration_names_file_feed_and_field(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "settings:\n  http:\n    timeout: 5\n")
    env = {"RADAR_HTTP_TIMEOUT": "30", "RADAR_HTTP_ALLOW_PRIVATE": "1", "RADAR_DB": "/x/r.db",
           "RADAR_CLASSIFY_SENTENCE_MODEL": "false",
           "RADAR_CLASSIFY_RELEVANCE_ENCODER": "use"}  # fmt: skip
    settings = load_settings(path, env=env)
    assert settings.http.timeout == 30.0
    assert settings.http.allow_private is True
    assert settings.sentence_model is False and load_settings(path, env={}).sentence_model
    assert settings.relevance_encoder == "use"
    assert load_settings(path, env={}).relevance_encoder == "e5"
    assert str(settings.db_path) == "/x/r.db"


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RADAR_HTTP_CONCURRENCY"):
        load_settings(_write(tmp_path, ""), env={"RADAR_HTTP_CONCURRENCY": "many"})


def test_missing_named_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.yaml", env={})


def test_empty_settings_section_keeps_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, "settings:\n  smtp:\n  digest:\n"), env={})
    assert settings.smtp.port == 587 and settings.digest_hour == 8


def test_readme_settings_table_is_generated_from_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_table(readme) == readme, "run: python -m radar.settings_doc"


def test_every_number_has_bounds_its_default_meets() -> None:
    for meta in declared():
        if meta.kind in (int, float):
            assert meta.bounds, meta.key
        assert meta.default in (None, ()) or meta.check(meta.default) == meta.default, meta.key


def _setting(tmp_path: Path, key: str, value: str) -> Path:
    section, _, name = key.partition(".")
    return _write(tmp_path, f"settings:\n  {section}:\n    {name}: {value}\n")


@pytest.mark.parametrize(
    ("key", "text", "attribute", "expected"),
    [
        ("digest.hour", "0", "digest_hour", 0),
        ("digest.hour", "23", "digest_hour", 23),
        ("digest.day", "sun", "digest_day", "sun"),
        ("smtp.port", "1", "smtp.port", 1),
        ("smtp.port", "65535", "smtp.port", 65535),
        ("smtp.retries", "1", "smtp.retries", 1),
        ("http.timeout", "0.5", "http.timeout", 0.5),
        ("http.concurrency", "1", "http.concurrency", 1),
        ("http.per_host", "1", "http.per_host", 1),
        ("http.max_body_bytes", "1024", "http.max_body_bytes", 1024),
        ("schedule.default_interval", "43200", "default_interval", 43200),
        ("schedule.fetch_minutes", "1", "fetch_minutes", 1),
        ("smtp.security", "none", "smtp.security", "none"),
        ("app.base_url", "'https://radar.city.jp/'", "base_url", "https://radar.city.jp"),
        ("smtp.recipients", "'a@city.jp, b@x.org:en'", "smtp.recipients",
         (("a@city.jp", "ja"), ("b@x.org", "en"))),
    ],
)  # fmt: skip
def test_values_within_bounds_are_accepted(
    tmp_path: Path, key: str, text: str, attribute: str, expected: object
) -> None:
    settings: object = load_settings(_setting(tmp_path, key, text), env={})
    for name in attribute.split("."):
        settings = getattr(settings, name)
    assert settings == expected


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("digest.hour", "24", "less than or equal to 23"),
        ("digest.hour", "-1", "greater than or equal to 0"),
        ("digest.day", "monday", "'mon'"),
        ("smtp.port", "0", "greater than or equal to 1"),
        ("smtp.port", "65536", "less than or equal to 65535"),
        ("smtp.retries", "0", "greater than or equal to 1"),
        ("smtp.timeout", "0", "greater than or equal to 0.1"),
        ("smtp.security", "tls", "'starttls'"),
        ("smtp.recipients", "'not-an-address'", "not an email address"),
        ("http.timeout", "0", "greater than or equal to 0.1"),
        ("http.connect_timeout", "601", "less than or equal to 600"),
        ("http.concurrency", "0", "greater than or equal to 1"),
        ("http.per_host", "0", "greater than or equal to 1"),
        ("http.max_body_bytes", "99999999999999999999", "less than or equal to 1073741824"),
        ("http.max_backoff_minutes", "0", "greater than or equal to 1"),
        ("http.allow_private", "maybe", "boolean"),
        ("schedule.fetch_minutes", "0", "greater than or equal to 1"),
        ("schedule.default_interval", "4", "greater than or equal to 5"),
        ("schedule.default_interval", "10000000000", "less than or equal to 43200"),
        ("schedule.misfire_grace_seconds", "0", "greater than or equal to 1"),
        ("general.timezone", "Mars/Base", "unknown time zone"),
    ],
)
def test_values_out_of_bounds_stop_with_one_line_naming_file_and_field(
    tmp_path: Path, key: str, text: str, reason: str
) -> None:
    path = _setting(tmp_path, key, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert f"{path}: settings.{key}:" in message and reason in message
    assert "\n" not in message


@pytest.mark.parametrize("interval", ["99999999999999999999", "10000000000", "43201", "4", "1.5",
                                      "true", "'60'"])  # fmt: skip
def test_feed_interval_out_of_bounds_names_file_feed_and_field(
    tmp_path: Path, interval: str
) -> None:
    path = _write(
        tmp_path, f"feeds:\n  - {{name: Slow, url: 'https://x.jp/f', interval: {interval}}}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert f"{path}: feeds[0] ('Slow'): field 'interval'" in message and "5 to 43200" in message
    assert "\n" not in message


def test_feed_interval_takes_the_default_unless_given(tmp_path: Path) -> None:
    path = _write(tmp_path, "settings:\n  schedule:\n    default_interval: 5\nfeeds:\n"
                  "  - {name: Own, url: 'https://x.jp/a', interval: 43200}\n"
                  "  - {name: Default, url: 'https://x.jp/b'}\n")  # fmt: skip
    assert [f.interval_minutes for f in load_settings(path, env={}).feeds] == [43200, 5]


def test_environment_is_checked_against_the_same_bounds(tmp_path: Path) -> None:
    path = _setting(tmp_path, "digest.hour", "7")
    assert load_settings(path, env={"RADAR_DIGEST_HOUR": "0"}).digest_hour == 0
    with pytest.raises(ConfigError, match=r"environment RADAR_DIGEST_HOUR: .*23 \(got '25'\)"):
        load_settings(path, env={"RADAR_DIGEST_HOUR": "25"})


def test_radar_db_wins_over_store_path_and_db_argument_over_both(tmp_path: Path) -> None:
    path = _setting(tmp_path, "store.path", "file.db")
    env = {"RADAR_STORE_PATH": "env.db", "RADAR_DB": "alias.db"}
    assert load_settings(path, env={}).db_path == Path("file.db")
    assert load_settings(path, env={"RADAR_STORE_PATH": "env.db"}).db_path == Path("env.db")
    assert load_settings(path, env=env).db_path == Path("alias.db")
    assert load_settings(path, env=env, db_path=Path("arg.db")).db_path == Path("arg.db")


def test_smtp_password_comes_only_from_the_environment(tmp_path: Path) -> None:
    path = _setting(tmp_path, "smtp.password", "hunter2")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert str(path) in message and "RADAR_SMTP_PASSWORD" in message
    assert "hunter2" not in message
    settings = load_settings(_write(tmp_path, ""), env={"RADAR_SMTP_PASSWORD": "hunter2"})
    assert settings.smtp.password == "hunter2" and "hunter2" not in repr(settings)
