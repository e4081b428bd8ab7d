"""The shipped taxonomy is complete, and bad taxonomy files are reported precisely."""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pytest

from radar.errors import ConfigError
from radar.taxonomy.load import load_taxonomy
from radar.taxonomy.model import Quadrant, Taxonomy, TaxonomyError, Tech, alias_key
from radar.taxonomy.sidefiles import DEFAULT_TAXONOMY_PATH

# Ids the demo corpus (radar/demo) tags its headlines with.
DEMO_IDS = [
    "generative-ai",
    "chatgpt",
    "llm",
    "github-copilot",
    "stable-diffusion",
    "ai-ocr",
    "rpa",
    "low-code",
    "digital-twin",
    "metaverse",
    "nft",
    "web3",
    "vr-headset",
    "kubernetes",
    "rust",
    "webassembly",
    "python",
    "zero-trust",
    "passkeys",
    "government-cloud",
    "municipal-system-standardisation",
    "microsoft-365",
    "aws",
    "lgwan",
    "my-number-card",
    "online-procedures",
    "e-signature",
    "cashless-payment",
    "open-data",
    "5g",
    "local-5g",
    "6g",
    "leo-satellite",
    "mastodon",
    "threads",
    "internet-explorer",
    "floppy-disk",
    "ppap",
    "fax",
    "hanko",
    "vector-database",
    "edge-computing",
    "ransomware",
]

QUADRANTS = {
    "ai-data": ("AI & Data", "AI・データ"),
    "cloud-infra-security": ("Cloud, Infrastructure & Security", "クラウド・基盤・セキュリティ"),
    "networks-devices": ("Networks & Devices", "通信・デバイス"),
    "services-work": ("Services & Work", "行政サービス・働き方"),
}

SMALL = """\
# A comment staff wrote, which must survive add_tech.
quadrants:
  - id: q-one
    name_en: One
    name_ja: 一
  - id: q-two
    name_en: Two
    name_ja: 二

techs:
  - id: foo
    name_en: Foo
    name_ja: フー
    quadrant: q-one
    aliases: [Foo, フー]

  - id: bar
    name_en: Bar
    name_ja: バー
    quadrant: q-two
    aliases: [Bar app]
"""


@pytest.fixture(scope="module")
def shipped() -> Taxonomy:
    return load_taxonomy()


def write(tmp_path: Path, text: str, name: str = "taxonomy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[str, ...]:
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    return caught.value.problems


# ------------------------------------------------------------------ shipped file


def test_the_shipped_files_are_package_data_so_a_wheel_carries_them() -> None:
    package = Path(__file__).resolve().parents[2] / "radar"
    pyproject = tomllib.loads((package.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert "**/*.yaml" in pyproject["tool"]["setuptools"]["package-data"]["radar"]
    assert DEFAULT_TAXONOMY_PATH.is_relative_to(package)
    for name in ("taxonomy.yaml", "topic_terms.yaml", "seed_examples.yaml"):
        assert (DEFAULT_TAXONOMY_PATH.parent / name).is_file(), name


def test_shipped_taxonomy_loads_with_at_least_90_techs(shipped: Taxonomy) -> None:
    assert len(shipped.techs) >= 90


def test_shipped_quadrants_are_the_four_agreed_ones(shipped: Taxonomy) -> None:
    assert {q.id: (q.name_en, q.name_ja) for q in shipped.quadrants} == QUADRANTS


@pytest.mark.parametrize("quadrant_id", sorted(QUADRANTS))
def test_every_quadrant_holds_at_least_15_techs(shipped: Taxonomy, quadrant_id: str) -> None:
    assert len(shipped.techs_in(quadrant_id)) >= 15


@pytest.mark.parametrize("tech_id", DEMO_IDS)
def test_every_id_the_demo_corpus_uses_exists(shipped: Taxonomy, tech_id: str) -> None:
    assert tech_id in shipped


def test_every_tech_is_named_in_both_languages(shipped: Taxonomy) -> None:
    unnamed = [t.id for t in shipped.techs if not (t.name_en.strip() and t.name_ja.strip())]
    assert unnamed == []


def test_municipal_flag_marks_public_sector_techs_only(shipped: Taxonomy) -> None:
    for tech_id in ("government-cloud", "lgwan", "my-number-card", "gss", "online-procedures"):
        assert shipped.tech(tech_id).municipal, tech_id
    for tech_id in ("kubernetes", "rust", "python", "aws"):
        assert not shipped.tech(tech_id).municipal, tech_id


def test_local_5g_does_not_roll_up_into_5g(shipped: Taxonomy) -> None:
    assert shipped.ancestors("local-5g") == ()
    assert shipped.ancestors("plateau") == ("digital-twin",)


def test_lookups_name_an_unknown_id(shipped: Taxonomy) -> None:
    assert shipped.tech("lgwan").quadrant == "networks-devices"
    assert shipped.quadrant("ai-data").name_ja == "AI・データ"
    with pytest.raises(KeyError, match="no-such-tech"):
        shipped.tech("no-such-tech")
    with pytest.raises(KeyError, match="no-such-quadrant"):
        shipped.techs_in("no-such-quadrant")


def test_a_tech_is_named_in_the_readers_language_and_a_dropped_one_by_its_id(
    shipped: Taxonomy,
) -> None:
    lgwan = shipped.tech("lgwan")
    assert (shipped.name("lgwan", "ja"), shipped.name("lgwan", "en")) == (
        lgwan.name_ja,
        lgwan.name_en,
    )
    assert lgwan.name_ja != lgwan.name_en
    assert shipped.name("removed-last-year", "ja") == "removed-last-year"


# --------------------------------------------------------------------- bad files


FOO_ALIASES = "    aliases: [Foo, フー]\n"

# (text in SMALL, replacement, expected problem after "<file>: ")
BAD_FILES = [
    pytest.param(
        "quadrant: q-one",
        "quadrant: nowhere",
        "techs[0] (id 'foo'): quadrant 'nowhere' is not one of q-one, q-two",
        id="unknown-quadrant",
    ),
    pytest.param(
        "name_ja: フー", "name_ja: ''", "techs[0] (id 'foo'): name_ja is empty", id="empty-name"
    ),
    pytest.param(
        "    name_ja: フー\n", "", "techs[0] (id 'foo'): name_ja is missing", id="missing-name"
    ),
    pytest.param(
        "id: foo", "id: Foo_Bar", "techs[0] (id 'Foo_Bar'): id must be kebab-case", id="bad-id"
    ),
    pytest.param(
        "id: foo", "id: 42", "techs[0]: id must be text, not 42 (put it in quotes)", id="number-id"
    ),
    pytest.param(
        "[Foo, フー]",
        "Foo",
        "techs[0] (id 'foo'): aliases must be a non-empty list",
        id="not-a-list",
    ),
    pytest.param(
        "[Foo, フー]",
        "[Foo, 365]",
        "techs[0] (id 'foo'): aliases[1] must be text, not 365 (put it in quotes)",
        id="alias-number",
    ),
    pytest.param(
        "[Foo, フー]", "[Foo, X]", "techs[0] (id 'foo'): aliases[1] 'X' is too short", id="one-char"
    ),
    pytest.param(
        "[Foo, フー]",
        "[Foo, ふう]",
        "aliases[1] 'ふう' is too short: hiragana-only aliases need at least 3",
        id="short-hiragana",
    ),
    pytest.param(
        "    aliases: [Foo",
        "    alias: [Foo",
        "techs[0] (id 'foo'): unknown field 'alias'",
        id="typo",
    ),
    pytest.param(
        FOO_ALIASES,
        FOO_ALIASES + "    municipal: maybe\n",
        "techs[0] (id 'foo'): municipal must be true or false, not 'maybe'",
        id="municipal-not-bool",
    ),
    pytest.param(
        FOO_ALIASES,
        FOO_ALIASES + "    case_sensitive: [Rust]\n",
        "techs[0] (id 'foo'): case_sensitive[0] 'Rust' is not one of its aliases",
        id="case-sensitive-not-an-alias",
    ),
    pytest.param(
        FOO_ALIASES,
        FOO_ALIASES + "    ja_only: [Teams]\n",
        "techs[0] (id 'foo'): ja_only[0] 'Teams' is not one of its aliases",
        id="ja-only-not-an-alias",
    ),
    pytest.param(
        FOO_ALIASES,
        FOO_ALIASES + "    parent: nothing\n",
        "techs[0] (id 'foo'): parent 'nothing' is not a technology id",
        id="unknown-parent",
    ),
    pytest.param(
        FOO_ALIASES,
        FOO_ALIASES + "    parent: foo\n",
        "techs[0] (id 'foo'): parent 'foo' leads back to 'foo'",
        id="parent-loop",
    ),
    pytest.param(
        "[Bar app]",
        "[FOO]",
        "techs[1] (id 'bar'): aliases[0] 'FOO' duplicates alias 'Foo' of techs[0] (id 'foo')",
        id="duplicate-alias-across-techs",
    ),
    pytest.param(
        "id: bar",
        "id: foo",
        "techs[1] (id 'foo'): duplicate id, already used by techs[0]",
        id="duplicate-id",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_FILES)
def test_bad_entry_error_names_file_tech_and_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in SMALL
    path = write(tmp_path, SMALL.replace(old, new, 1))

    problems = problems_of(path)

    assert any(p.startswith(f"{path}: ") and expected in p for p in problems), problems


def test_aliases_differing_only_in_case_or_separators_are_duplicates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        SMALL.replace("aliases: [Foo, フー]", "aliases: [Wi-Fi, フー]").replace(
            "aliases: [Bar app]", "aliases: [Bar app, wifi]"
        ),
    )

    (problem,) = problems_of(path)

    assert "techs[1] (id 'bar'): aliases[1] 'wifi' duplicates alias 'Wi-Fi'" in problem
    assert alias_key("Ｗｉ－Ｆｉ") == alias_key("wi fi") == "wifi"


def test_same_alias_twice_in_one_tech_is_harmless(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL.replace("aliases: [Foo, フー]", "aliases: [Foo, foo, フー]"))

    assert load_taxonomy(path).tech("foo").aliases == ("Foo", "foo", "フー")


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = SMALL.replace("quadrant: q-one", "quadrant: q-nine").replace("name_ja: バー", "")
    path = write(tmp_path, text)

    problems = problems_of(path)

    assert len(problems) == 2
    assert "techs[0] (id 'foo'): quadrant 'q-nine'" in problems[0]
    assert "techs[1] (id 'bar'): name_ja is missing" in problems[1]


def test_a_key_written_twice_in_one_entry_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = SMALL.replace("    aliases: [Bar app]", "    aliases: [A1]\n    aliases: [Bar app]")
    line = text.splitlines().index("    aliases: [Bar app]") + 1
    path = write(tmp_path, text)

    (problem,) = problems_of(path)

    assert problem.startswith(f"{path}: line {line}, column 5: ")
    assert "'aliases' appears twice" in problem


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL.replace("aliases: [Bar app]", "aliases: [Bar app"))

    (problem,) = problems_of(path)

    assert problem.startswith(f"{path}: line ")
    assert "YAML syntax error" in problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just a list\n", "expected a mapping with 'quadrants' and 'techs'"),
        (SMALL + "colour: blue\n", "unknown top-level key 'colour'"),
        (SMALL.replace("techs:", "techs: []\nold_techs:"), "techs: must be a non-empty list"),
        ("exclude: [Foo]\n" + SMALL, "exclude[0] 'Foo' is also alias 'Foo' of techs[0] (id 'foo')"),
    ],
    ids=["not-a-mapping", "unknown-top-level-key", "no-techs", "exclude-equals-alias"],
)
def test_bad_file_structure_is_reported(tmp_path: Path, text: str, expected: str) -> None:
    problems = problems_of(write(tmp_path, text))

    assert any(expected in p for p in problems), problems


def test_missing_file_error_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"

    (problem,) = problems_of(missing)

    assert problem.startswith(f"{missing}: cannot read")


def test_taxonomy_error_is_both_a_config_error_and_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_taxonomy(tmp_path / "nope.yaml")
    with pytest.raises(ValueError):
        load_taxonomy(tmp_path / "nope.yaml")


def test_taxonomy_built_in_code_obeys_the_same_rules() -> None:
    quadrant = Quadrant("q", "Q", "キュー")
    tech = Tech("a", "A", "エー", "q", ("Alpha",))

    with pytest.raises(TaxonomyError, match=r"techs\[1\] \(id 'a'\): duplicate id"):
        Taxonomy((quadrant,), (tech, tech))


# ------------------------------------------------------------------ kinds


def test_kind_defaults_to_technology_and_rejects_an_unknown_kind(tmp_path: Path) -> None:
    assert {t.kind for t in load_taxonomy(write(tmp_path, SMALL)).techs} == {"technology"}
    text = SMALL.replace("    aliases: [Bar app]", "    aliases: [Bar app]\n    kind: fad")
    problems = problems_of(write(tmp_path, text, "bad.yaml"))
    assert any("techs[1] (id 'bar'): kind 'fad' is not one of technology" in p for p in problems)


def test_shipped_threats_and_policies_are_marked(shipped: Taxonomy) -> None:
    kinds = {t.id: t.kind for t in shipped.techs}
    assert kinds["ransomware"] == kinds["phishing"] == "threat"
    assert kinds["government-cloud"] == kinds["municipal-system-standardisation"] == "policy"
    assert kinds["aws"] == "product" and kinds["kubernetes"] == "technology"
