"""The shipped taxonomy names technologies as public series spell them, and claims no strangers."""

from __future__ import annotations

from collections import Counter

from radar.series.mapping import map_terms, term_key
from radar.taxonomy.load import load_taxonomy

SO = "stackoverflow_questions_by_tag_year"
JOBS = "hn_whoishiring_postings"


def test_series_spellings_reach_their_technologies():
    pairs = [
        (SO, "go"), ("githut_gh_push_event", "Go"), ("pypl_pypl_worldwide_share", "Go"),
        (JOBS, "golang"), (SO, "amazon-web-services"), (JOBS, "Remote"), (SO, "wifi"),
        (SO, "google-bigquery"), ("githut_gh_push_event", "Dockerfile"),
    ]  # fmt: skip
    mapped = map_terms(load_taxonomy(), pairs)

    assert not mapped.unmapped
    assert set(mapped.pairs_for("golang")) == set(pairs[:4])
    assert mapped.pairs_for("aws") == ((SO, "amazon-web-services"),)
    assert mapped.pairs_for("telework") == ((JOBS, "Remote"),)
    assert mapped.pairs_for("wi-fi") == ((SO, "wifi"),)


def test_a_tag_that_only_shares_a_word_with_an_alias_names_nothing():
    # Stack Overflow's line (plot lines), zoom (zooming), dao (data access objects) and
    # threads are not the LINE app, Zoom meetings, DAOs or Meta's Threads.
    strangers = [(SO, "line"), (SO, "zoom"), (SO, "dao"), (SO, "threads"), (SO, "drone")]
    assert map_terms(load_taxonomy(), strangers).unmapped == tuple(strangers)


def test_no_two_technologies_claim_one_series_term():
    claims = Counter(
        (key, term_key(term))
        for tech in load_taxonomy().techs
        for key, terms in tech.series
        for term in terms
    )
    assert [claim for claim, count in claims.items() if count > 1] == []
