"""What each series source measures, and which ``series:`` key of a technology names it there.

Adoption (jobs, questions, downloads, code) counts use; attention (pageviews, news, searches)
counts talk. A standard keeps its adoption while attention calms down; a fad's attention
outruns its adoption. Signals and reasons read this table, so a new source is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

ADOPTION = "adoption"
ATTENTION = "attention"


@dataclass(frozen=True)
class SourceInfo:
    """One source: the taxonomy key its terms are looked up by, what it counts, its names."""

    key: str
    evidence: str  # ADOPTION or ATTENTION
    name_en: str
    name_ja: str

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en


SOURCES: dict[str, SourceInfo] = {
    # imported files (the long format of `radar import-series`)
    "stackoverflow_questions_by_tag_year": SourceInfo(
        "stackoverflow", ADOPTION, "Stack Overflow questions", "Stack Overflowの質問数"
    ),
    "hn_whoishiring_postings": SourceInfo(
        "jobs", ADOPTION, "job postings naming it", "求人での言及"
    ),
    "githut_gh_push_event": SourceInfo("github", ADOPTION, "GitHub pushes", "GitHubのプッシュ数"),
    "githut_gh_pull_request": SourceInfo(
        "github", ADOPTION, "GitHub pull requests", "GitHubのプルリクエスト数"
    ),
    "githut_gh_issue_event": SourceInfo("github", ADOPTION, "GitHub issues", "GitHubのイシュー数"),
    "githut_gh_star_event": SourceInfo("github", ATTENTION, "GitHub stars", "GitHubのスター数"),
    "pypl_pypl_worldwide_share": SourceInfo(
        "pypl", ATTENTION, "tutorial searches (PYPL)", "チュートリアル検索(PYPL)"
    ),
    "pypl_ide_worldwide_share": SourceInfo(
        "pypl", ATTENTION, "IDE searches (PYPL)", "IDE検索(PYPL)"
    ),
    "pypl_db_worldwide_share": SourceInfo(
        "pypl", ATTENTION, "database searches (PYPL)", "データベース検索(PYPL)"
    ),
    "pypl_ode_worldwide_share": SourceInfo(
        "pypl", ATTENTION, "editor searches (PYPL)", "エディタ検索(PYPL)"
    ),
    # collected from public APIs (`radar series update`)
    "stackexchange_questions": SourceInfo(
        "stackoverflow", ADOPTION, "Stack Overflow questions", "Stack Overflowの質問数"
    ),
    "npm_downloads": SourceInfo("npm", ADOPTION, "npm downloads", "npmのダウンロード数"),
    "qiita_items": SourceInfo("qiita", ADOPTION, "Qiita articles", "Qiitaの記事数"),
    "wikipedia_en": SourceInfo(
        "wikipedia_en", ATTENTION, "English Wikipedia pageviews", "英語版Wikipediaの閲覧数"
    ),
    "wikipedia_ja": SourceInfo(
        "wikipedia_ja", ATTENTION, "Japanese Wikipedia pageviews", "日本語版Wikipediaの閲覧数"
    ),
    "hn_stories": SourceInfo("news", ATTENTION, "Hacker News stories", "Hacker Newsの投稿数"),
    "gdelt_en": SourceInfo("news", ATTENTION, "English news volume", "英語ニュースの量"),
    "gdelt_ja": SourceInfo("news", ATTENTION, "Japanese news volume", "日本語ニュースの量"),
}


def source_info(source: str) -> SourceInfo | None:
    """The entry for a source id, or None for a source this release does not know."""
    return SOURCES.get(source)
