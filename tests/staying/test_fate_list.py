"""The fate list the judgment is held to is well-formed, large enough and balanced."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.errors import RadarError
from radar.staying.fate import load_fates
from radar.taxonomy.load import load_taxonomy

FATES = Path(__file__).resolve().parents[1] / "data" / "fates.yaml"


def test_the_fate_list_has_80_technologies_of_both_fates_each_with_its_evidence():
    fates, taxonomy = load_fates(FATES, load_taxonomy())

    assert len(fates) >= 80
    assert {f.outcome for f in fates} == {0, 1}
    assert min(sum(f.outcome == o for f in fates) for o in (0, 1)) >= 30
    assert all(f.evidence for f in fates)
    assert len({f.tech_id for f in fates}) == len(fates)
    # the added technologies join the evaluation's taxonomy, the shipped one is untouched
    assert {f.tech_id for f in fates} <= {t.id for t in taxonomy.techs}
    assert len(load_taxonomy().techs) < len(taxonomy.techs)


def test_a_listed_technology_the_taxonomy_lacks_must_bring_its_aliases(tmp_path):
    path = tmp_path / "fates.yaml"
    path.write_text("techs:\n  - {id: no-such-tech, outcome: faded}\n", encoding="utf-8")

    with pytest.raises(RadarError, match="no-such-tech is not in the taxonomy"):
        load_fates(path, load_taxonomy())


def test_an_added_technology_names_its_series_terms_where_they_differ_from_its_aliases(
    tmp_path: Path,
) -> None:
    _fates, taxonomy = load_fates(FATES, load_taxonomy())
    stripe = next(t for t in taxonomy.techs if t.id == "stripe")
    assert stripe.series_terms("stackoverflow") == ("stripe-payments",)

    path = tmp_path / "fates.yaml"
    path.write_text(
        "techs:\n  - {id: x, name: X, aliases: [X], series: {nosuchsite: [x]}, outcome: faded}\n",
        encoding="utf-8",
    )
    with pytest.raises(RadarError, match=r"series\.nosuchsite"):
        load_fates(path, load_taxonomy())
