"""Compose the weekly digest: subject, plain text and Outlook/Gmail-safe HTML, ja or en.

Pure. HTML uses tables and inline styles only (no external CSS, no scripts); every piece of
feed text goes through Jinja2's autoescaping, so a hostile headline arrives inert. Ring,
movement and reason wording come from radar.labels and radar.staying.reasons, as in the app.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from radar import labels
from radar.digest.gather import DigestData
from radar.staying.kind_labels import ring_suffix, shown_ring
from radar.staying.reasons import render_reason

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(labels=labels, reason=render_reason, shown_ring=shown_ring, suffix=ring_suffix)
WORDS = {
    "subject": ("トレンドレーダー週報 {week}", "Trend Radar digest {week}"),
    "title": ("トレンドレーダー 週報", "Trend Radar weekly digest"),
    "radar": ("今週のレーダー", "This week's radar"),
    "new": ("新たに載った技術", "New on the radar"),
    "movers": ("リングが動いた技術", "Moved rings"),
    "top": ("分野別の注目記事", "Top items by quadrant"),
    "questions": ("確認をお願いしたい記事", "Please confirm these items"),
    "broken": ("取得に失敗しているフィード", "Feeds failing to fetch"),
    "model": ("分類モデル", "Classifier"), "none": ("なし", "None"),
    "open": ("アプリで開く", "Open in the app"),
    "rules": ("ルール（未学習）", "rules (not trained yet)"),
    "f1": ("領域 F1", "Topic F1"),
    "basis_weak": ("ルールのラベルによる参考値", "judged on rule labels, flattering"),
    "basis_tagged": ("職員のタグで評価", "judged on staff tags"),
    "changed": ("最終更新", "last changed"),
    "why_first": ("最初の取得後に自動で学習", "trained on its own after the first fetch"),
    "why_tags": ("職員のタグが増えたため自動で再学習", "retrained on its own after new staff tags"),
    "why_weekly": ("毎週の定期再学習", "the weekly retraining"),
    "why_staff": ("職員の指示で再学習", "retrained on request"),
    "why_switch": ("職員が切り替え", "switched by staff"),
}  # fmt: skip


@dataclass(frozen=True)
class Composed:
    """A ready message body in one language."""

    subject: str
    text: str
    html: str


def with_lang(url: str, lang: str) -> str:
    """An app link that opens in the reader's language (``lang=`` replaced or added)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("lang", lang)])))


def _linked(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {**row, "url": with_lang(row["url"], lang)} if row.get("url") else row


def in_lang(data: DigestData, lang: str) -> DigestData:
    """The digest material with every link into the app carrying the reader's language.

    Gathered once, composed once per recipient language: the language joins the links here.
    """
    return replace(
        data,
        quadrants=[
            {**q, "rings": {ring: [_linked(b, lang) for b in blips]
                            for ring, blips in q["rings"].items()}}
            for q in data.quadrants
        ],
        new=[_linked(b, lang) for b in data.new],
        movers=[_linked(b, lang) for b in data.movers],
        questions=[_linked(q, lang) for q in data.questions],
    )  # fmt: skip


def compose(data: DigestData, lang: str) -> Composed:
    """Render the digest for one language (ja or en)."""
    words = {key: labels.in_lang(*pair, lang) for key, pair in WORDS.items()}
    open_url = with_lang(f"{data.base_url}/?week={data.week}", lang)
    context = {"d": in_lang(data, lang), "t": words, "lang": lang, "open_url": open_url}
    return Composed(
        subject=words["subject"].format(week=data.week),
        text=_ENV.get_template("digest.txt.j2").render(context),
        html=_ENV.get_template("digest.html.j2").render(context),
    )
