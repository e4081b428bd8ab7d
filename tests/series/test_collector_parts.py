"""The pure parts of the collectors: request shapes and answer readers, table-driven."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from apiserver import Reply
from conftest import NOW, aimed_at

from radar.errors import ParseError
from radar.series.collect import first_month, update_series
from radar.series.collectors.base import months, news_terms
from radar.series.collectors.gdelt import Gdelt, monthly_volume, query_for
from radar.series.collectors.hackernews import parse_hits
from radar.series.collectors.http import ApiResponse
from radar.series.collectors.npm import daily_by_month, package_path, spans
from radar.series.collectors.qiita import reset_time
from radar.series.collectors.stackexchange import error_of, parse_total
from radar.series.collectors.wikipedia import article_path, parse_pageviews
from radar.store.db import open_db
from radar.store.series import points_for
from radar.taxonomy.model import Tech


@pytest.mark.parametrize(
    ("title", "path"),
    [
        ("Kubernetes", "Kubernetes"),
        ("React (software)", "React_%28software%29"),
        ("TCP/IP", "TCP%2FIP"),  # a slash in a title is part of it, not a path step
        ("生成的人工知能", "%E7%94%9F%E6%88%90%E7%9A%84%E4%BA%BA%E5%B7%A5%E7%9F%A5%E8%83%BD"),
    ],
)
def test_article_titles_become_one_escaped_path_segment(title, path):
    assert article_path(title) == path


@pytest.mark.parametrize(
    ("name", "path"), [("react", "react"), ("@types/node", "@types/node"), ("a b", "a%20b")]
)
def test_scoped_packages_keep_their_scope_in_the_path(name, path):
    assert package_path(name) == path


def test_npm_spans_are_at_most_18_whole_months_and_never_before_its_first_day():
    assert spans(date(2014, 6, 1), date(2016, 8, 1)) == [
        (date(2015, 1, 10), date(2016, 6, 30)),
        (date(2016, 7, 1), date(2016, 8, 31)),
    ]


@pytest.mark.parametrize(
    ("payload", "reader"),
    [
        ({"items": [{"timestamp": "2015070100", "views": "12"}]}, "wikipedia"),
        ({"items": "none"}, "wikipedia"),
        ({"nbHits": -1}, "hn"),
        ([], "hn"),
        ({"total": 1.5}, "se"),
        ({"downloads": [{"day": "2025-13-01", "downloads": 1}]}, "npm"),
        ({"timeline": [{"data": [{"date": "yesterday", "value": 1, "norm": 2}]}]}, "gdelt"),
    ],
)
def test_answers_of_another_shape_are_refused_with_a_parse_error(payload, reader):
    readers = {
        "wikipedia": lambda p: parse_pageviews("wikipedia_en", "x", p),
        "hn": parse_hits, "se": parse_total, "npm": daily_by_month, "gdelt": monthly_volume,
    }  # fmt: skip
    with pytest.raises(ParseError):
        readers[reader](payload)


def test_documented_answers_are_read():
    item = {
        "project": "ja.wikipedia", "article": "Kubernetes", "granularity": "monthly",
        "timestamp": "2016020100", "access": "all-access", "agent": "user", "views": 7,
    }  # fmt: skip
    (point,) = parse_pageviews("wikipedia_ja", "Kubernetes", {"items": [item]})
    assert (point.period, point.period_end, point.count) == ("2016-02", "2016-02-29", 7)
    assert parse_total({"total": 9, "backoff": 10, "quota_remaining": 3}) == (9, 10.0)
    assert monthly_volume({"timeline": [{"series": "Article Count", "data": [
        {"date": "20170131T000000Z", "value": 1, "norm": 10},
        {"date": "20170201T000000Z", "value": 2, "norm": 20}]}]}) == {
        date(2017, 1, 1): (1, 10), date(2017, 2, 1): (2, 20)}  # fmt: skip
    assert monthly_volume({"timeline": []}) == {}  # nothing matched: an empty timeline


def test_an_error_body_that_is_not_json_still_names_the_status():
    error = error_of(ApiResponse("http://x/se/questions", 500, {}, b"<html>oops</html>"), NOW)
    assert "HTTP 500" in str(error) and "oops" in str(error)


@pytest.mark.parametrize(
    ("header", "resume"),
    [
        (str(int(datetime(2026, 3, 15, 12, 40, tzinfo=UTC).timestamp())), "12:40"),
        ("99999999999", "13:00"),  # years ahead: not believed, an hour instead
        ("soon", "13:00"),
    ],
)
def test_qiita_rate_reset_is_believed_only_when_it_is_near(header, resume):
    assert f"{reset_time({'rate-reset': header}, NOW):%H:%M}" == resume


def test_gdelt_asks_for_the_exact_phrase_in_the_sources_language():
    assert query_for('say "hi" GPT', "gdelt_ja") == '"say  hi  GPT" sourcelang:japanese'
    assert Gdelt().terms(Tech("k", "K", "K", "q", ("クバネ", "K8s")), "gdelt_en") == ("K8s",)


def test_news_terms_prefer_the_news_block_and_never_invent_a_name():
    named = Tech("x", "X", "X", "q", ("X",), series=(("news", ("X Corp",)),))
    assert news_terms(named) == ("X Corp",)
    assert news_terms(Tech("y", "Y", "Y", "q", ("生成AI",))) == ()


def test_a_term_starts_at_its_newest_stored_month_else_at_the_later_of_since_and_the_api():
    assert first_month(Gdelt(), "2015-07", None) == date(2017, 1, 1)
    assert first_month(Gdelt(), "2019-03", None) == date(2019, 3, 1)
    assert first_month(Gdelt(), "2015-07", "2024-11") == date(2024, 11, 1)
    assert len(months(date(2024, 11, 1), date(2025, 2, 1))) == 4


def test_a_back_fill_stopped_by_a_failing_api_resumes_after_the_newest_month_stored(
    apis, db_path, taxonomy
):
    apis.hn["Kubernetes"] = {m: 1 for m in ("2025-10", "2025-11", "2025-12", "2026-01")}
    apis.queued["/hn"] = [Reply(200, b'{"nbHits": 1000}')] * 4 + [Reply(500, b"down")] * 4
    db = open_db(db_path)

    stopped = update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["hn_stories"])
    stored = [p.period for p in points_for(db, [("hn_stories", "Kubernetes")])]
    resumed = update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["hn_stories"])

    assert "HTTP 500" in (stopped.sources[0].error or "") and stored == ["2025-10", "2025-11"]
    first_asked = next(p for _, p in apis.requests[8:] if "query=Kubernetes" in p)
    assert "created_at_i%3E%3D1761955200" in first_asked  # 2025-11 again, not 2025-10
    assert resumed.sources[0].error is None
    periods = [p.period for p in points_for(db, [("hn_stories", "Kubernetes")])]
    assert periods == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
