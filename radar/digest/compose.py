"""Compose the weekly digest: subject, plain text and Outlook/Gmail-safe HTML, ja or en.

Pure. HTML uses tables and inline styles only (no external CSS, no scripts); every piece of
feed text goes through Jinja2's autoescaping, so a hostile headline arrives inert. Ring,
movement and reason wording come from radar.labels and radar.staying.reasons, as in the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from radar.digest.gather import DigestData
from radar.labels import movement_name, ring_name
from radar.staying.reasons import render_reason

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
LABELS = {
    "ja": {
        "subject": "トレンドレーダー週報 {week}", "title": "トレンドレーダー 週報",
        "radar": "今週のレーダー", "new": "新たに載った技術", "movers": "リングが動いた技術",
        "top": "分野別の注目記事", "questions": "確認をお願いしたい記事",
        "broken": "取得に失敗しているフィード", "model": "分類モデル", "none": "なし",
        "open": "アプリで開く", "rules": "ルール（未学習）",
    },
    "en": {
        "subject": "Trend Radar digest {week}", "title": "Trend Radar weekly digest",
        "radar": "This week's radar", "new": "New on the radar", "movers": "Moved rings",
        "top": "Top items by quadrant", "questions": "Please confirm these items",
        "broken": "Feeds failing to fetch", "model": "Classifier", "none": "None",
        "open": "Open in the app", "rules": "rules (not trained yet)",
    },
}  # fmt: skip


@dataclass(frozen=True)
class Composed:
    """A ready message body in one language."""

    subject: str
    text: str
    html: str


def compose(data: DigestData, lang: str) -> Composed:
    """Render the digest for one language (ja or en)."""
    labels = LABELS[lang]
    context = {
        "d": data, "t": labels, "lang": lang, "ring_name": partial(ring_name, lang=lang),
        "movement_name": partial(movement_name, lang=lang),
        "reason": partial(render_reason, lang=lang),
    }  # fmt: skip
    return Composed(
        subject=labels["subject"].format(week=data.week),
        text=_ENV.get_template("digest.txt.j2").render(context),
        html=_ENV.get_template("digest.html.j2").render(context),
    )
