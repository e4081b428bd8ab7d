"""`radar import-series` reads the long format; a bad row is reported, the rest is stored."""

from __future__ import annotations

from dataclasses import replace

import pytest

from radar.classify.linking import taxonomy_fingerprint
from radar.series.csvfile import HeaderError
from radar.series.importer import import_series_file
from radar.series.mapping import map_terms
from radar.series.periods import period_end
from radar.store.db import open_db
from radar.store.series import points_for, stored_terms
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import Quadrant, Taxonomy, Tech

GOOD = (
    "series,term,period,count,total,share\n"
    "stackoverflow_questions_by_tag_year,kubernetes,2017,900,90000,0.01\n"
    "hn_whoishiring_postings,Kubernetes,2017-03,12,400,\n"
    "pypl_pypl_worldwide_share,Python,2017-Q1,,,0.2\n"
)
BAD = (
    "stackoverflow_questions_by_tag_year,rust,2017-13,1,2,0.5\n"  # no month 13
    "stackoverflow_questions_by_tag_year,rust,2017,-4,2,\n"  # negative count
    "stackoverflow_questions_by_tag_year,rust,2017,nan,2,\n"
    "stackoverflow_questions_by_tag_year,rust\n"  # short row
)


def _write(tmp_path, text: str | bytes):
    path = tmp_path / "series.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_import_stores_every_good_row_and_reports_each_bad_one_by_line(tmp_path):
    db = open_db(tmp_path / "radar.db")
    report = import_series_file(db, _write(tmp_path, (GOOD + BAD).encode() + b"x,\xff,2017,1,,\n"))

    assert report.stored == 3
    assert [e.line for e in report.errors] == [5, 6, 7, 8, 9]
    assert "13" in report.errors[0].reason
    [jobs] = points_for(db, [("hn_whoishiring_postings", "Kubernetes")])
    assert jobs.share == pytest.approx(0.03)  # computed from count / total
    assert jobs.period_end == "2017-03-31"


def test_importing_the_same_file_twice_adds_nothing(tmp_path):
    db = open_db(tmp_path / "radar.db")
    path = _write(tmp_path, GOOD)
    import_series_file(db, path)
    import_series_file(db, path)

    assert db.execute("SELECT count(*) FROM series").fetchone()[0] == 3


def test_a_file_in_another_format_is_refused_with_the_expected_header(tmp_path):
    db = open_db(tmp_path / "radar.db")
    with pytest.raises(HeaderError, match="series,term,period"):
        import_series_file(db, _write(tmp_path, "date,title\n2017-01-01,x\n"))


def test_periods_end_on_their_last_day():
    assert period_end("2016-02") == "2016-02-29"
    assert period_end("2014-Q3") == "2014-09-30"
    with pytest.raises(ValueError):
        period_end("2014-Q5")


def _taxonomy() -> Taxonomy:
    quadrant = Quadrant("platforms", "Platforms", "基盤")
    return Taxonomy(
        quadrants=(quadrant,),
        techs=(
            Tech("kubernetes", "Kubernetes", "Kubernetes", "platforms", ("Kubernetes", "k8s")),
            Tech(
                "golang", "Go", "Go言語", "platforms", ("Golang",),
                series=(("stackoverflow", ("go",)),),
            ),
        ),
    )  # fmt: skip


def test_terms_map_by_series_block_or_exact_name_and_the_rest_are_listed(tmp_path):
    db = open_db(tmp_path / "radar.db")
    extra = "".join(
        f"stackoverflow_questions_by_tag_year,{tag},2017,5,9,\n" for tag in ("go", "k8s-ingress")
    )
    import_series_file(db, _write(tmp_path, GOOD + extra))

    mapped = map_terms(_taxonomy(), stored_terms(db))

    assert set(mapped.pairs_for("kubernetes")) == {
        ("stackoverflow_questions_by_tag_year", "kubernetes"),
        ("hn_whoishiring_postings", "Kubernetes"),
    }
    assert mapped.pairs_for("golang") == (("stackoverflow_questions_by_tag_year", "go"),)
    assert ("stackoverflow_questions_by_tag_year", "k8s-ingress") in mapped.unmapped
    assert ("pypl_pypl_worldwide_share", "Python") in mapped.unmapped


def test_a_series_block_is_the_whole_list_for_its_key_so_an_alias_cannot_claim_a_stranger():
    quadrant = Quadrant("services", "Services", "サービス")
    line_app = Tech(
        "line-app", "LINE", "LINE", "services", ("LINE",),
        series=(("stackoverflow", ()), ("jobs", ("LINE messaging",))),
    )  # fmt: skip
    mapped = map_terms(
        Taxonomy(quadrants=(quadrant,), techs=(line_app,)),
        [
            ("stackoverflow_questions_by_tag_year", "line"),  # lines in plots, not the app
            ("hn_whoishiring_postings", "LINE messaging"),
            ("pypl_pypl_worldwide_share", "LINE"),  # no pypl key in the block: alias counts
        ],
    )

    assert ("stackoverflow_questions_by_tag_year", "line") in mapped.unmapped
    assert mapped.pairs_for("line-app") == (
        ("hn_whoishiring_postings", "LINE messaging"),
        ("pypl_pypl_worldwide_share", "LINE"),
    )


def test_an_empty_series_list_in_the_taxonomy_file_loads(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "quadrants:\n  - {id: q, name_en: Q, name_ja: Q}\n"
        "techs:\n  - id: line-app\n    name_en: LINE\n    name_ja: LINE\n    quadrant: q\n"
        "    aliases: [LINE app]\n    series: {stackoverflow: [], qiita: LINE}\n",
        encoding="utf-8",
    )
    [tech] = load_taxonomy(path).techs
    assert dict(tech.series) == {"stackoverflow": (), "qiita": ("LINE",)}


def test_naming_a_technology_in_a_series_does_not_re_link_every_item():
    plain = _taxonomy()
    named = Taxonomy(
        quadrants=plain.quadrants,
        techs=tuple(
            replace(tech, series=(("wikipedia_en", ("Kubernetes",)),)) for tech in plain.techs
        ),
    )
    assert taxonomy_fingerprint(named) == taxonomy_fingerprint(plain)
