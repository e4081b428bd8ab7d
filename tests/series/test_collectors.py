"""Collectors against the six APIs' documented answers, served by a real local server."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

from apiserver import Reply
from conftest import NOW, aimed_at

from radar.config import HttpSettings
from radar.series.collect import update_series
from radar.store.db import open_db
from radar.store.series import points_for
from radar.store.series_health import SourceHealth, record_health, source_health


def _values(db, source, term):  # type: ignore[no-untyped-def]
    return {p.period: (p.count, p.total) for p in points_for(db, [(source, term)])}


def test_pageviews_are_stored_per_month_and_the_next_run_asks_only_from_the_newest_month(
    apis, db_path, taxonomy
):
    apis.pageviews[("en.wikipedia", "Kubernetes")] = {"2025-10": 900, "2025-11": 950}
    apis.pageviews[("en.wikipedia", "React (software)")] = {"2025-12": 5}
    settings = aimed_at(apis, db_path)
    db = open_db(db_path)

    update_series(db, settings, taxonomy, NOW, sources=["wikipedia_en"])
    apis.pageviews[("en.wikipedia", "Kubernetes")]["2025-12"] = 990
    update_series(db, settings, taxonomy, NOW + timedelta(days=40), sources=["wikipedia_en"])

    assert _values(db, "wikipedia_en", "Kubernetes") == {
        "2025-10": (900, None), "2025-11": (950, None), "2025-12": (990, None),
    }  # fmt: skip
    asked = [p for p in apis.paths("/wm") if "/Kubernetes/" in p]
    assert asked[0].endswith("/monthly/2025100100/2026033100")
    assert asked[1].endswith("/monthly/2025110100/2026043000")  # from the newest stored month
    assert "/en.wikipedia/all-access/user/React_%28software%29/" in " ".join(apis.paths("/wm"))


def test_an_unknown_article_is_recorded_on_its_term_and_the_other_terms_are_still_asked(
    apis, db_path, taxonomy
):
    apis.pageviews[("en.wikipedia", "Kubernetes")] = {"2025-10": 900}
    apis.pageviews[("en.wikipedia", "React (software)")] = {"2025-10": 7}
    db = open_db(db_path)

    report = update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["wikipedia_en"])

    run = report.sources[0]
    assert list(run.term_errors) == ["No such article"] and "404" not in run.term_errors
    assert "no pageviews for the article" in run.term_errors["No such article"]
    assert _values(db, "wikipedia_en", "React (software)") == {"2025-10": (7, None)}
    health = source_health(db)["wikipedia_en"]
    assert health.status == "ok" and health.term_errors == 1
    assert "No such article" in (health.last_term_error or "")


def test_hacker_news_reads_nbhits_with_the_month_total_and_stores_empty_months_as_zero(
    apis, db_path, taxonomy
):
    apis.hn["Kubernetes"] = {"2025-11": 42}
    db = open_db(db_path)

    update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["hn_stories"])

    values = _values(db, "hn_stories", "Kubernetes")
    assert values["2025-11"] == (42, 1042)
    assert values["2025-10"] == (0, 1000)
    assert len(values) == 6  # 2025-10 .. 2026-03, the current month included
    totals_asked = [p for p in apis.paths("/hn") if "query=&" in p]
    assert len(totals_asked) == 6  # the month's total once per run, not once per term
    assert all("hitsPerPage=1" in p for p in apis.paths("/hn"))  # no result page is walked


def test_a_429_is_waited_out_as_retry_after_says_then_retried(apis, db_path, taxonomy):
    apis.pageviews[("en.wikipedia", "Kubernetes")] = {"2025-10": 900}
    apis.once("/wm", Reply(429, b'{"title": "Too many requests"}', {"Retry-After": "1"}))
    db = open_db(db_path)

    report = update_series(
        db, aimed_at(apis, db_path), taxonomy, NOW, sources=["wikipedia_en"], tech="kubernetes"
    )

    assert _values(db, "wikipedia_en", "Kubernetes") == {"2025-10": (900, None)}
    first, second = [t for t, _ in apis.requests[:2]]
    assert second - first >= 0.95
    assert report.waited_seconds >= 0.95 and report.requests == 2


def test_a_server_asking_to_wait_longer_than_a_run_allows_pauses_the_source_until_then(
    apis, db_path, taxonomy
):
    apis.once("/wm", Reply(503, b"busy", {"Retry-After": "3600"}))
    db = open_db(db_path)

    report = update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["wikipedia_en"])
    again = update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["wikipedia_en"])

    assert "HTTP 503" in (report.sources[0].error or "")
    health = source_health(db)["wikipedia_en"]
    assert health.status == "paused" and health.resume_at == "2026-03-15T13:00:00Z"
    assert len(apis.paths("/wm")) == 1 and "paused until" in (again.sources[0].skipped or "")


def test_5xx_without_retry_after_backs_off_and_a_source_that_keeps_failing_records_why(
    apis, db_path, taxonomy
):
    apis.once("/hn", *[Reply(500, b"oops")] * 4)
    db = open_db(db_path)

    report = update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["hn_stories"])

    assert len(apis.paths("/hn")) == 4  # the first try and three retries, then it stops
    assert report.waited_seconds >= 0.3  # 0.05, 0.1, 0.2: doubling from backoff_seconds
    health = source_health(db)["hn_stories"]
    assert health.status == "failing" and "HTTP 500" in (health.last_error or "")
    assert "after 4 tries" in (health.last_error or "")
    assert health.error_count == 1 and health.last_success_at is None


def test_stack_exchange_counts_a_gzipped_total_per_tag_and_honours_backoff(apis, db_path, taxonomy):
    apis.stackexchange["kubernetes"] = {"2026-03": 321}
    apis.se_backoff = 1
    settings = aimed_at(apis, db_path, since="2026-03")
    db = open_db(db_path)

    update_series(db, settings, taxonomy, NOW, sources=["stackexchange_questions"])

    assert _values(db, "stackexchange_questions", "kubernetes") == {"2026-03": (321, 5321)}
    times = [t for t, p in apis.requests if p.startswith("/se")]
    assert len(times) == 2 and all(b - a >= 0.95 for a, b in itertools.pairwise(times))
    asked = apis.paths("/se")[1]
    assert (
        "tagged=kubernetes" in asked and "filter=total" in asked and "site=stackoverflow" in asked
    )


def test_stack_exchange_stops_at_the_daily_quota_and_resumes_the_next_day_where_it_stopped(
    apis, db_path, taxonomy
):
    apis.stackexchange["kubernetes"] = {"2025-10": 10, "2025-11": 11, "2025-12": 12}
    db = open_db(db_path)
    record_health(db, SourceHealth("stackexchange_questions", quota_day="2026-03-15",
                                   quota_used=296))  # fmt: skip
    settings = aimed_at(apis, db_path)

    first = update_series(db, settings, taxonomy, NOW, sources=["stackexchange_questions"])

    assert list(_values(db, "stackexchange_questions", "kubernetes")) == ["2025-10", "2025-11"]
    assert "300 requests a day" in (first.sources[0].skipped or "")
    health = source_health(db)["stackexchange_questions"]
    assert health.status == "paused" and health.resume_at == "2026-03-16T00:00:00Z"
    assert health.quota_used == 300

    later = update_series(db, settings, taxonomy, NOW + timedelta(days=1),
                          sources=["stackexchange_questions"])  # fmt: skip

    assert later.sources[0].skipped is None
    assert list(_values(db, "stackexchange_questions", "kubernetes"))[-1] == "2026-03"
    resumed_at = [p for p in apis.paths("/se") if "tagged" in p][2]
    assert "fromdate=1761955200" in resumed_at  # 2025-11-01: the newest stored month again
    totals = [p for p in apis.paths("/se") if "tagged" not in p]
    assert len(totals) == 2 + 4  # 2025-10 and -11 once; settled months' totals are reused
    assert source_health(db)["stackexchange_questions"].status == "ok"


def test_stack_exchange_throttle_violation_body_pauses_for_the_seconds_it_names(
    apis, db_path, taxonomy
):
    body = (
        b'{"error_id": 502, "error_message": "too many requests from this IP, more requests'
        b' available in 7200 seconds", "error_name": "throttle_violation"}'
    )
    apis.once("/se", Reply(400, body, {"Content-Type": "application/json"}))
    db = open_db(db_path)

    update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["stackexchange_questions"])

    health = source_health(db)["stackexchange_questions"]
    assert health.status == "paused" and health.resume_at == "2026-03-15T14:00:00Z"


def test_npm_sums_days_into_months_with_the_registry_total_and_reports_unknown_packages(
    apis, db_path, taxonomy
):
    apis.npm["react"] = {"2025-10-01": 5, "2025-10-31": 6, "2026-01-15": 7}
    settings = aimed_at(apis, db_path, since="2024-01")
    db = open_db(db_path)

    report = update_series(db, settings, taxonomy, NOW, sources=["npm_downloads"])

    values = _values(db, "npm_downloads", "react")
    assert values["2025-10"] == (11, 110) and values["2026-01"] == (7, 70)
    assert values["2024-01"] == (0, 0) and len(values) == 27
    spans = [p.split("/")[4] for p in apis.paths("/npm") if p.endswith("/react")]
    assert spans == ["2024-01-01:2025-06-30", "2025-07-01:2026-03-31"]  # at most 18 months
    assert (
        "no package named 'svelte-not-published'"
        in report.sources[0].term_errors["svelte-not-published"]
    )


def test_qiita_reads_total_count_without_walking_pages_and_pauses_when_the_hour_is_spent(
    apis, db_path, taxonomy
):
    apis.qiita["kubernetes"] = {"2025-10": 3}
    apis.qiita_remaining = 3
    apis.qiita_reset = int((NOW + timedelta(minutes=20)).timestamp())
    db = open_db(db_path)

    report = update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["qiita_items"])

    assert _values(db, "qiita_items", "kubernetes") == {"2025-10": (3, 803)}
    assert len(apis.paths("/qiita")) == 3 and all("page=1" in p for p in apis.paths("/qiita"))
    assert "tag%3Akubernetes" in apis.paths("/qiita")[1]
    health = source_health(db)["qiita_items"]
    assert health.status == "paused" and health.resume_at == "2026-03-15T12:20:00Z"
    assert report.sources[0].error is None


def test_qiita_refusing_with_rate_limit_exceeded_pauses_until_rate_reset(apis, db_path, taxonomy):
    apis.qiita_remaining = 0
    apis.qiita_reset = int((NOW + timedelta(minutes=30)).timestamp())
    db = open_db(db_path)

    update_series(db, aimed_at(apis, db_path), taxonomy, NOW, sources=["qiita_items"])

    assert source_health(db)["qiita_items"].resume_at == "2026-03-15T12:30:00Z"


def test_gdelt_sums_daily_steps_into_months_per_language_and_records_refused_queries(
    apis, db_path, taxonomy
):
    apis.gdelt['"Kubernetes" sourcelang:japanese'] = {"20260102": 4, "20260131": 5}
    apis.gdelt['"React" sourcelang:japanese'] = {}
    settings = aimed_at(apis, db_path, since="2026-01")
    db = open_db(db_path)

    report = update_series(db, settings, taxonomy, NOW, sources=["gdelt_ja"])

    values = _values(db, "gdelt_ja", "Kubernetes")
    assert values["2026-01"] == (9, 3_100_000) and values["2026-02"] == (0, 2_800_000)
    assert values["2026-03"] == (0, 1_500_000)  # the month so far (to today), replaced next run
    assert "phrase is too short" in report.sources[0].term_errors["Svelte"]
    assert "mode=timelinevolraw" in apis.paths("/gdelt")[0]


def test_malformed_and_oversized_bodies_are_recorded_not_stored(apis, db_path, taxonomy):
    apis.pageviews[("en.wikipedia", "React (software)")] = {"2025-10": 1}
    apis.once("/wm", Reply(200, b'{"items": [{"timestamp": "soon", "views": -1}]}'))
    apis.once("/hn", Reply(200, b"x" * 300_000))
    db = open_db(db_path)

    report = update_series(db, aimed_at(apis, db_path), taxonomy, NOW,
                           sources=["wikipedia_en", "hn_stories"])  # fmt: skip

    runs = {r.source: r for r in report.sources}
    assert "not a month and a count" in runs["wikipedia_en"].term_errors["Kubernetes"]
    assert _values(db, "wikipedia_en", "React (software)") == {"2025-10": (1, None)}
    assert "exceeds the 200,000-byte limit" in (runs["hn_stories"].error or "")
    assert source_health(db)["hn_stories"].status == "failing"
    assert _values(db, "hn_stories", "Kubernetes") == {}


def test_private_addresses_are_refused_unless_allowed(apis, db_path, taxonomy):
    settings = aimed_at(apis, db_path)
    settings = replace(settings, http=replace(settings.http, allow_private=False))
    db = open_db(db_path)

    report = update_series(db, settings, taxonomy, NOW, sources=["wikipedia_en"])

    assert "private address" in (report.sources[0].error or "")
    assert apis.requests == []


def test_the_requests_carry_the_products_user_agent(apis, db_path, taxonomy):
    seen = []
    original = apis._answer

    def spy(handler):  # type: ignore[no-untyped-def]
        seen.append(handler.headers.get("User-Agent"))
        original(handler)

    apis.httpd.RequestHandlerClass.do_GET = lambda self: spy(self)  # type: ignore[method-assign]
    settings = aimed_at(apis, db_path)
    settings = replace(settings, http=replace(settings.http, user_agent=HttpSettings().user_agent))

    update_series(open_db(db_path), settings, taxonomy, NOW, sources=["wikipedia_en"])

    assert seen and all(ua.startswith("TrendRadar/") for ua in seen)
