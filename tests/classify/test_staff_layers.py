"""Staff edits beside the store, over the shipped files; side files that cannot go missing."""

from __future__ import annotations

import logging
import shutil
import textwrap
from pathlib import Path

import pytest

from radar.config import Settings
from radar.taxonomy.edit import STAFF_HEADER, add_staff_tech, write_staff_file
from radar.taxonomy.export import export_files
from radar.taxonomy.layers import Layers, layers_for, load_layered, staff_dir
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import TaxonomyError, Tech
from radar.taxonomy.sidefiles import (
    DEFAULT_TAXONOMY_PATH,
    SEEDS_FILE,
    SHIPPED_DIR,
    TOPIC_TERMS_FILE,
    seeds_for,
    warn_once,
)

BASE = """\
# A comment staff wrote in their own base taxonomy.
quadrants:
  - {id: q-one, name_en: One, name_ja: 一}
  - {id: q-two, name_en: Two, name_ja: 二}
exclude: [Foo Fighters]
techs:
  - id: foo
    name_en: Foo
    name_ja: フー
    quadrant: q-one
    aliases: [Foo, フー, Foolang]
    case_sensitive: [Foolang]
  - id: bar
    name_en: Bar
    name_ja: バー
    quadrant: q-two
    aliases: [Bar app]
"""
SENSING = Tech("quantum-sensing", "Quantum sensing", "量子センシング", "ai-data", ("量子センサー",))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def staff(tmp_path: Path) -> Layers:
    """The shipped base with a staff folder beside a store in tmp_path."""
    return Layers(staff=staff_dir(tmp_path / "store" / "radar.db"))


@pytest.fixture(autouse=True)
def _warn_again() -> None:
    warn_once.cache_clear()  # each test sees its own warnings


def shipped_bytes() -> dict[Path, bytes]:
    """Every shipped taxonomy file and every file of the package, byte for byte."""
    package = Path(__file__).resolve().parents[2] / "radar"
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [SHIPPED_DIR / n for n in ("taxonomy.yaml", TOPIC_TERMS_FILE, SEEDS_FILE)]
    return {path: path.read_bytes() for path in files}


# --------------------------------------------------------------------- adding


def test_an_added_technology_lives_in_the_staff_folder_and_the_shipped_files_stay(
    staff: Layers,
) -> None:
    before = shipped_bytes()

    path = add_staff_tech(staff, SENSING)

    assert path == staff.staff / "taxonomy.yaml"
    assert path.read_text(encoding="utf-8").startswith(STAFF_HEADER)
    assert shipped_bytes() == before  # nothing written among the shipped files
    layered = load_layered(staff)
    assert layered.techs[-1] == SENSING
    assert layered.techs[:-1] == load_taxonomy().techs
    assert SENSING.id not in load_taxonomy()


def test_adding_round_trips_every_field_and_keeps_what_staff_wrote(staff: Layers) -> None:
    write_staff_file(
        staff.staff / "taxonomy.yaml", "# our own notes\ntechs:\n    - id: first\n"
        "      name_en: First\n      name_ja: 一番\n      quadrant: ai-data\n"
        "      aliases: [First thing]\n",
    )  # fmt: skip
    before = (staff.staff / "taxonomy.yaml").read_text(encoding="utf-8")
    quirky = Tech(
        id="quirky-tool", name_en="Quirky: tool, v2", name_ja="クセのある道具",
        quadrant="services-work", aliases=("Quirky, Inc.", "365", "yes", "#hashtag", "クセ道具"),
        municipal=True, case_sensitive=("Quirky, Inc.",), ja_only=("yes",), parent="first",
        kind="practice",
    )  # fmt: skip

    add_staff_tech(staff, quirky)

    text = (staff.staff / "taxonomy.yaml").read_text(encoding="utf-8")
    assert text.startswith(before)
    assert "\n    - id: quirky-tool\n" in text  # the indentation staff used
    assert load_layered(staff).techs[-2:][1] == quirky


@pytest.mark.parametrize(
    ("tech", "expected"),
    [
        (Tech("kubernetes", "K", "ク", "ai-data", ("Kube new",)), "'kubernetes' exists already"),
        (
            Tech("kube", "K", "ク", "ai-data", ("k8s",)),
            "new technology (id 'kube'): aliases[0] 'k8s' duplicates alias 'k8s'",
        ),
        (Tech("baz", "B", "バ", "space", ("Bazooka",)), "quadrant 'space' is not one of"),
    ],
    ids=["shipped-id", "shipped-alias", "unknown-quadrant"],
)
def test_a_clashing_technology_is_refused_and_nothing_is_written(
    staff: Layers, tech: Tech, expected: str
) -> None:
    with pytest.raises(TaxonomyError) as caught:
        add_staff_tech(staff, tech)

    assert any(expected in p for p in caught.value.problems), caught.value.problems
    assert not (staff.staff / "taxonomy.yaml").exists()


def test_adding_refuses_when_techs_is_not_the_last_section_of_the_staff_file(
    staff: Layers,
) -> None:
    text = STAFF_HEADER + "exclude: [iPhone XR]\n"
    write(staff.staff / "taxonomy.yaml", text)

    with pytest.raises(TaxonomyError, match="'techs:' must be the last section"):
        add_staff_tech(staff, SENSING)

    assert (staff.staff / "taxonomy.yaml").read_text(encoding="utf-8") == text


def test_staff_files_are_never_written_into_the_package(tmp_path: Path) -> None:
    package = Path(__file__).resolve().parents[2] / "radar"
    for target in (package / "staff" / "taxonomy.yaml", SHIPPED_DIR / "staff.yaml"):
        with pytest.raises(TaxonomyError, match="refusing to write"):
            write_staff_file(target, "techs:\n")
        assert not target.exists()


# --------------------------------------------------------------------- layering


def test_a_staff_entry_replaces_the_shipped_one_by_id_in_place(staff: Layers) -> None:
    shipped = load_taxonomy()
    position = shipped.tech_ids.index("kubernetes")
    write(
        staff.staff / "taxonomy.yaml",
        """\
        exclude: [Kubernetes Dashboard]
        techs:
          - id: kubernetes
            name_en: Kubernetes
            name_ja: クバネティス
            quadrant: cloud-infra-security
            aliases: [Kubernetes, k8s]
            municipal: true
        """,
    )

    layered = load_layered(staff)

    assert layered.tech_ids == shipped.tech_ids
    assert layered.techs[position].name_ja == "クバネティス"
    assert layered.techs[position].aliases == ("Kubernetes", "k8s")
    assert layered.exclude == (*shipped.exclude, "Kubernetes Dashboard")


def test_an_upgrade_that_gives_a_shipped_entry_a_staff_alias_keeps_working(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    v1 = BASE.replace("[Foo, フー, Foolang]", "[Foo, フー]").replace(
        "    case_sensitive: [Foolang]\n", ""
    )
    base = write(tmp_path / "v1" / "taxonomy.yaml", v1)
    layers = Layers(staff=tmp_path / "staff", base=base)
    add_staff_tech(layers, Tech("foolang", "Foolang", "フー言語", "q-two", ("Foolang",)))
    upgraded = (
        BASE + "  - {id: baz, name_en: Baz, name_ja: バズ, quadrant: q-one, aliases: [Baz]}\n"
    )
    base.write_text(upgraded, encoding="utf-8")  # the next release claims the same spelling

    with caplog.at_level(logging.WARNING, logger="radar.taxonomy"):
        layered = load_layered(layers)

    assert layered.tech_ids == ("foo", "bar", "baz", "foolang")
    assert layered.tech("foo").aliases == ("Foo", "フー")  # the staff spelling wins
    assert layered.tech("foo").case_sensitive == ()
    assert "'foo' loses Foolang" in caplog.text


def test_a_broken_staff_file_is_reported_by_file_and_entry(tmp_path: Path) -> None:
    base = write(tmp_path / "taxonomy.yaml", BASE)
    staff = write(
        tmp_path / "staff" / "taxonomy.yaml",
        "techs:\n  - {id: one, name_en: One, name_ja: 一, quadrant: q-one, aliases: [Onee]}\n"
        "  - {id: two, name_en: Two, name_ja: 二, quadrant: q-one, aliases: [ONEE],\n"
        "     parent: nope}\n",
    )

    with pytest.raises(TaxonomyError) as caught:
        load_layered(Layers(staff=staff.parent, base=base))

    assert f"{staff}: techs[1] (id 'two'): aliases[0] 'ONEE' duplicates alias 'Onee' of " in (
        "\n".join(caught.value.problems)
    )
    assert any("techs[1] (id 'two'): parent 'nope' is not a technology id" in p
               for p in caught.value.problems)  # fmt: skip


def test_staff_topic_terms_add_to_the_shipped_ones_and_can_move_one(staff: Layers) -> None:
    shipped = dict(load_taxonomy().topic_terms.by_quadrant)
    assert "データセット" in shipped["ai-data"]
    write(staff.staff / TOPIC_TERMS_FILE, "services-work: [データセット, 窓口予約]\n")

    terms = dict(load_layered(staff).topic_terms.by_quadrant)

    assert "データセット" not in terms["ai-data"]
    assert terms["services-work"][-2:] == ("データセット", "窓口予約")
    assert len(terms["ai-data"]) == len(shipped["ai-data"]) - 1


def test_staff_seed_examples_add_to_the_shipped_ones_and_can_relabel_one(staff: Layers) -> None:
    shipped = seeds_for(load_taxonomy())
    first = shipped[0]
    write(
        staff.staff / SEEDS_FILE,
        f'{first.quadrant}:\n  other: ["{first.title}"]\n'
        'services-work:\n  relevant: ["市役所の窓口予約をオンライン化、待ち時間を半減"]\n',
    )

    seeds = seeds_for(load_layered(staff))

    assert len(seeds) == len(shipped) + 1
    assert next(s for s in seeds if s.title == first.title).relevant is (not first.relevant)
    assert seeds[-1].title == "市役所の窓口予約をオンライン化、待ち時間を半減"


def test_settings_put_the_staff_folder_beside_the_store(tmp_path: Path) -> None:
    layers = layers_for(Settings(db_path=tmp_path / "data" / "radar.db"))
    assert layers.staff == tmp_path / "data" / "staff"
    assert layers.base is None  # the shipped taxonomy underneath


# ------------------------------------------------------------- side files (issue 17)


def test_a_taxonomy_kept_elsewhere_still_gets_the_shipped_topic_terms_and_seeds(
    tmp_path: Path,
) -> None:
    custom = tmp_path / "elsewhere" / "taxonomy.yaml"
    custom.parent.mkdir()
    shutil.copy(DEFAULT_TAXONOMY_PATH, custom)

    taxonomy = load_taxonomy(custom)

    assert taxonomy.topic_terms == load_taxonomy().topic_terms
    assert seeds_for(taxonomy) == seeds_for(load_taxonomy())
    assert len(seeds_for(taxonomy)) > 100


def test_side_files_beside_a_custom_taxonomy_replace_the_shipped_ones(tmp_path: Path) -> None:
    base = write(tmp_path / "taxonomy.yaml", BASE)
    write(tmp_path / TOPIC_TERMS_FILE, "q-one: [ふわふわ語]\n")
    write(tmp_path / SEEDS_FILE, "q-two:\n  relevant: [Bar app adopted by the city]\n")

    taxonomy = load_taxonomy(base)

    assert taxonomy.topic_terms.by_quadrant == (("q-one", ("ふわふわ語",)),)
    assert [s.title for s in seeds_for(taxonomy)] == ["Bar app adopted by the city"]


def test_shipped_side_files_under_other_quadrants_keep_only_what_fits(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base = write(tmp_path / "taxonomy.yaml", BASE)  # quadrants q-one and q-two only

    with caplog.at_level(logging.WARNING, logger="radar.taxonomy"):
        taxonomy = load_taxonomy(base)
        seeds = seeds_for(taxonomy)

    assert taxonomy.topic_terms.by_quadrant == ()
    assert {s.quadrant for s in seeds} == {None}  # only the shipped "not about technology"
    assert "skipped quadrants the taxonomy lacks: ai-data" in caplog.text


def test_a_configured_side_file_that_does_not_exist_is_a_warning_not_silence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "typo" / "topic_terms.yml"

    with caplog.at_level(logging.WARNING, logger="radar.taxonomy"):
        taxonomy = load_layered(Layers(topic_terms=missing, seed_examples=missing))
        seeds = seeds_for(taxonomy)

    assert f"{missing}: configured topic_terms.yaml does not exist" in caplog.text
    assert f"{missing}: configured seed_examples.yaml does not exist" in caplog.text
    assert taxonomy.topic_terms == load_taxonomy().topic_terms  # the shipped ones still apply
    assert seeds == seeds_for(load_taxonomy())


def test_configured_side_files_replace_the_shipped_ones(tmp_path: Path) -> None:
    terms = write(tmp_path / "terms.yaml", "ai-data: [ふわふわ語]\n")
    taxonomy = load_layered(Layers(topic_terms=terms))
    assert taxonomy.topic_terms.by_quadrant == (("ai-data", ("ふわふわ語",)),)


# --------------------------------------------------------------------- export


def test_the_export_reads_back_as_the_same_taxonomy_terms_and_seeds(
    staff: Layers, tmp_path: Path
) -> None:
    add_staff_tech(staff, SENSING)
    write(staff.staff / TOPIC_TERMS_FILE, "services-work: [窓口予約]\n")
    layered = load_layered(staff)
    folder = tmp_path / "export"

    for name, text in export_files(layered, seeds_for(layered)).items():
        write(folder / name, text)

    exported = load_taxonomy(folder / "taxonomy.yaml")
    assert exported.techs == layered.techs
    assert exported.exclude == layered.exclude
    assert exported.quadrants == layered.quadrants
    assert exported.topic_terms == layered.topic_terms
    assert seeds_for(exported) == seeds_for(layered)


def test_a_staff_file_with_a_yaml_mistake_names_the_file_and_line(staff: Layers) -> None:
    path = write(staff.staff / "taxonomy.yaml", "techs:\n  - id: foo\n    aliases: [Foo\n")
    with pytest.raises(TaxonomyError, match=rf"{path}: line \d+, column \d+: YAML syntax error"):
        load_layered(staff)
