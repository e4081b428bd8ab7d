"""Configuration: clear errors naming file, feed and field; environment wins; README documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.config import SETTINGS, load_settings
from radar.errors import ConfigError

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
        ("settings:\n  http:\n    timeout: soon\n", ["settings.http.timeout", "float"]),
        ("settings:\n  http:\n    timeuot: 3\n", ["settings.http", "timeuot"]),
        ("settings:\n  general:\n    timezone: Mars/Base\n", ["timezone", "Mars/Base"]),
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
           "RADAR_CLASSIFY_SENTENCE_MODEL": "false"}  # fmt: skip
    settings = load_settings(path, env=env)
    assert settings.http.timeout == 30.0
    assert settings.http.allow_private is True
    assert settings.sentence_model is False and load_settings(path, env={}).sentence_model
    assert str(settings.db_path) == "/x/r.db"


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RADAR_HTTP_CONCURRENCY"):
        load_settings(_write(tmp_path, ""), env={"RADAR_HTTP_CONCURRENCY": "many"})


def test_missing_named_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.yaml", env={})


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.section}.{setting.key}`" in readme
        assert setting.env in readme
