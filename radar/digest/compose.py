"""Compose the weekly digest: subject, plain text and Outlook/Gmail-safe HTML, ja or en.

Pure. HTML uses tables and inline styles only (no external CSS, no scripts); every piece of
feed text goes through Jinja2's autoescaping, so a hostile headline arrives inert. Ring,
movement and reason wording come from radar.labels and radar.staying.reasons, as in the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
}  # fmt: skip


@dataclass(frozen=True)
class Composed:
    """A ready message body in one language."""

    subject: str
    text: str
    html: str


def compose(data: DigestData, lang: str) -> Composed:
    """Render the digest for one language (ja or en)."""
    words = {key: labels.in_lang(*pair, lang) for key, pair in WORDS.items()}
    context = {"d": data, "t": words, "lang": lang}
    return Composed(
        subject=words["subject"].format(week=data.week),
        text=_ENV.get_template("digest.txt.j2").render(context),
        html=_ENV.get_template("digest.html.j2").render(context),
    )
