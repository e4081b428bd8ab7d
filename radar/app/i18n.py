"""Interface strings in Japanese and English; Japanese is the default for the office."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "title": {"ja": "トレンドレーダー", "en": "Trend Radar"},
    "language": {"ja": "表示言語", "en": "Language"},
    "items": {"ja": "記事", "en": "Items"},
    "feeds": {"ja": "フィード", "en": "Feeds"},
    "search": {"ja": "全文検索（日本語の部分一致も可）", "en": "Full-text search"},
    "lang_filter": {"ja": "記事の言語", "en": "Item language"},
    "all": {"ja": "すべて", "en": "All"},
    "source": {"ja": "媒体", "en": "Source"},
    "published": {"ja": "公開日時", "en": "Published"},
    "headline": {"ja": "見出し", "en": "Headline"},
    "sources_in_story": {"ja": "同じ話題の媒体数", "en": "Sources for story"},
    "n_items": {"ja": "{n} 件", "en": "{n} items"},
    "empty_store": {
        "ja": "まだ記事がありません。`radar demo`（オフラインのデモ）か `radar fetch --all` "
        "を実行してください。",
        "en": "No items yet. Run `radar demo` (offline demo data) or `radar fetch --all`.",
    },
    "no_match": {"ja": "条件に合う記事はありません。", "en": "No items match."},
    "feed_health": {"ja": "フィードの状態（不調なものが先頭）", "en": "Feed health (broken first)"},
    "status": {"ja": "状態", "en": "Status"},
    "ok": {"ja": "正常", "en": "OK"},
    "failing": {"ja": "エラー", "en": "Failing"},
    "disabled": {"ja": "停止中", "en": "Disabled"},
    "last_success": {"ja": "最終成功", "en": "Last success"},
    "errors": {"ja": "連続エラー", "en": "Errors"},
    "next_due": {"ja": "次回取得", "en": "Next due"},
    "last_error": {"ja": "最後のエラー", "en": "Last error"},
    "no_feeds": {
        "ja": "フィードがありません。feeds.yaml に追加するか `radar demo` を実行してください。",
        "en": "No feeds. Add some to feeds.yaml or run `radar demo`.",
    },
    "show_more": {"ja": "さらに表示", "en": "Show more"},
}

LANGUAGES = {"ja": "日本語", "en": "English"}


def t(key: str, lang: str, **values: object) -> str:
    """Look up an interface string; unknown keys show as themselves so gaps are visible."""
    text = STRINGS.get(key, {}).get(lang) or STRINGS.get(key, {}).get("en") or key
    return text.format(**values) if values else text
