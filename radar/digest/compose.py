"""Compose the weekly digest: subject, plain text and Outlook/Gmail-safe HTML, ja or en.

Pure. HTML uses tables and inline styles only (no external CSS, no scripts); every piece of
feed text goes through Jinja2's autoescaping, so a hostile headline arrives inert.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from radar.digest.gather import DigestData

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
        "open": "アプリで開く", "moved in": "内側へ", "moved out": "外側へ",
        "adopt": "採用", "trial": "試行", "assess": "評価", "hold": "保留",
        "rules": "ルール（未学習）",
    },
    "en": {
        "subject": "Trend Radar digest {week}", "title": "Trend Radar weekly digest",
        "radar": "This week's radar", "new": "New on the radar", "movers": "Moved rings",
        "top": "Top items by quadrant", "questions": "Please confirm these items",
        "broken": "Feeds failing to fetch", "model": "Classifier", "none": "None",
        "open": "Open in the app", "moved in": "moved in", "moved out": "moved out",
        "adopt": "Adopt", "trial": "Trial", "assess": "Assess", "hold": "Hold",
        "rules": "rules (not trained yet)",
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
    context = {"d": data, "t": labels, "lang": lang}
    return Composed(
        subject=labels["subject"].format(week=data.week),
        text=_ENV.get_template("digest.txt.j2").render(context),
        html=_ENV.get_template("digest.html.j2").render(context),
    )
