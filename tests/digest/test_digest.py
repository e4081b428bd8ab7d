"""The weekly digest, sent through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import socket
from dataclasses import replace
from datetime import UTC, datetime
from email.message import Message
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from radar.classify.linking import link_store
from radar.classify.retrain import score_store
from radar.config import HttpSettings, Settings, SmtpSettings
from radar.demo.ingest import ingest_demo
from radar.digest.compose import Composed, compose
from radar.digest.gather import gather
from radar.digest.run import send_week
from radar.digest.send import build_message
from radar.staying.editions import build_editions, pending_weeks
from radar.store.db import open_db
from radar.store.editions import edition_weeks
from radar.taxonomy.load import load_taxonomy

NOW = datetime(2026, 11, 23, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> ガバメントクラウド"


class Inbox:
    """aiosmtpd handler keeping every received message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server():  # type: ignore[no-untyped-def]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def store(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("digest") / "radar.db"
    db = open_db(path)
    settings = Settings(db_path=path, http=HttpSettings(allow_private=True))
    ingest_demo(db, settings, weeks=20)
    last = db.execute("SELECT max(id) FROM items").fetchone()[0]
    db.execute("UPDATE items SET title = ? WHERE id = ?", [HOSTILE, last])
    taxonomy = load_taxonomy()
    link_store(db, taxonomy)
    score_store(db, taxonomy, path.parent / "models", NOW)
    build_editions(db, taxonomy, pending_weeks(db), NOW)
    yield db, path
    db.close()


def _settings(path, port: int, recipients=(("kacho@city.example.jp", "ja"),)) -> Settings:  # type: ignore[no-untyped-def]
    smtp = SmtpSettings(
        host="127.0.0.1", port=port, security="none", retries=2, timeout=5,
        from_addr="radar@city.example.jp", recipients=recipients,
    )  # fmt: skip
    return Settings(db_path=path, smtp=smtp, base_url="https://radar.city.example.jp",
                    models_dir=path.parent / "models")  # fmt: skip


def _parts(message: Message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    return text, html


def test_digest_arrives_with_both_parts_links_and_japanese(store, smtp_server) -> None:  # type: ignore[no-untyped-def]
    db, path = store
    inbox, port = smtp_server
    week = edition_weeks(db)[0]
    outcomes = send_week(db, _settings(path, port), load_taxonomy(), week, NOW)
    assert [o.status for o in outcomes] == ["sent"]
    [message] = inbox.messages
    assert week in message["Subject"] and "トレンドレーダー" in message["Subject"]
    text, html = _parts(message)
    assert "今週のレーダー" in text and "今週のレーダー" in html
    assert "https://radar.city.example.jp/?week=" in html
    assert "https://radar.city.example.jp/technology?tech=" in html
    assert "<script" not in html.lower() and "stylesheet" not in html


def test_the_same_week_is_not_sent_twice(store, smtp_server) -> None:  # type: ignore[no-untyped-def]
    db, path = store
    inbox, port = smtp_server
    week = edition_weeks(db)[1]
    settings = _settings(path, port, (("a@city.example.jp", "ja"), ("b@example.org", "en")))
    first = send_week(db, settings, load_taxonomy(), week, NOW)
    second = send_week(db, settings, load_taxonomy(), week, NOW)
    assert [o.status for o in first] == ["sent", "sent"]
    assert [o.status for o in second] == ["skipped", "skipped"]
    assert len(inbox.messages) == 2
    english = next(m for m in inbox.messages if m["To"] == "b@example.org")
    assert "Trend Radar digest" in english["Subject"]


def test_server_down_is_retried_recorded_and_does_not_raise(store) -> None:  # type: ignore[no-untyped-def]
    db, path = store
    port = _free_port()  # nothing listens there
    waits: list[float] = []
    week = edition_weeks(db)[2]
    outcomes = send_week(db, _settings(path, port), load_taxonomy(), week, NOW, sleep=waits.append)
    assert [o.status for o in outcomes] == ["failed"]
    assert outcomes[0].attempts == 2 and waits == [2.0]
    row = db.execute(
        "SELECT status, attempts, last_error FROM digest_sends WHERE week = ?", [week]
    ).fetchone()
    assert row[0] == "failed" and row[1] == 2 and "127.0.0.1" in row[2]


def test_hostile_titles_arrive_inert(store) -> None:  # type: ignore[no-untyped-def]
    db, path = store
    week = edition_weeks(db)[0]
    data = gather(db, load_taxonomy(), week, "https://radar.city.example.jp", path.parent / "m")
    data.questions.append({"title": HOSTILE, "url": "https://radar.city.example.jp/tagging?item=1"})
    html = compose(data, "ja").html
    assert "&lt;script&gt;" in html and "<script>" not in html and "<img src=x" not in html


def test_line_breaks_cannot_inject_headers() -> None:
    composed = Composed(subject="Digest\r\nBcc: victim@example.org", text="t", html="<p>h</p>")
    message = build_message(composed, "radar@city.example.jp", "kacho@city.example.jp\nCc: x@y")
    raw = message.as_string()
    assert "\nBcc:" not in raw and "\nCc:" not in raw
    assert message["Subject"] == "Digest Bcc: victim@example.org"


def test_non_ascii_subject_is_encoded_for_the_wire() -> None:
    message = build_message(
        Composed("トレンドレーダー週報 2024-W01", "t", "<p>h</p>"), "a@b.jp", "c@d.jp"
    )
    wire = message.as_bytes()
    assert b"=?utf-8?" in wire.lower() and "トレンドレーダー".encode() not in wire.split(b"\n\n")[0]


def test_unconfigured_smtp_is_a_clear_error(store) -> None:  # type: ignore[no-untyped-def]
    from radar.errors import SendError

    db, path = store
    settings = replace(_settings(path, 25), smtp=SmtpSettings(recipients=(("a@b.jp", "ja"),)))
    outcomes = send_week(db, settings, load_taxonomy(), edition_weeks(db)[3], NOW)
    assert outcomes[0].status == "failed" and "no SMTP server" in (outcomes[0].error or "")
    with pytest.raises(SendError, match="no recipients"):
        send_week(db, replace(settings, smtp=SmtpSettings()), load_taxonomy(), "2022-W30", NOW)
