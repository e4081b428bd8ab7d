"""Names and reasons in the reader's language, from one place; an older store reads the same."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import radar

from radar.digest.compose import compose
from radar.digest.gather import gather
from radar.labels import movement_name, quadrant_name, ring_name, tech_name
from radar.staying.byor import to_byor
from radar.staying.reasons import reason, render_reason
from radar.store.db import open_db
from radar.store.editions import load_edition
from radar.taxonomy.load import load_taxonomy

WEEK = "2026-W47"
# Reasons as the release before reason codes stored them: both languages already written.
OLD_REASONS = [
    {"code": "staff", "ja": "職員の判断: [bold]不要[/bold]（sato）",
     "en": "Staff decision: [bold]not us[/bold] (sato)", "points": 0.0},
    {"code": "persistence", "ja": "過去26週のうち9週で言及",
     "en": "Mentioned in 9 of the last 26 weeks", "points": 0.4},
]  # fmt: skip


def test_names_come_in_both_languages_and_unknown_ids_show_as_themselves() -> None:
    taxonomy = load_taxonomy()
    assert (ring_name("adopt", "ja"), ring_name("adopt", "en")) == ("採用", "Adopt")
    assert (movement_name("moved in", "ja"), movement_name("moved in", "en")) == (
        "内側へ移動", "Moved in"
    )  # fmt: skip
    assert quadrant_name(taxonomy, "ai-data", "ja") == "AI・データ"
    assert tech_name(taxonomy, "kubernetes", "en") == "Kubernetes"
    assert ring_name("orbit", "en") == "orbit" and tech_name(taxonomy, "gone", "ja") == "gone"


def test_a_stored_reason_is_written_out_in_the_readers_language() -> None:
    staff = reason("staff", comment="{week} is fine", by="sato")
    assert json.loads(json.dumps(staff)) == staff, "stored as plain JSON"
    assert render_reason(staff, "ja") == "職員の判断: {week} is fine（sato）"
    assert render_reason(staff, "en") == "Staff decision: {week} is fine (sato)"
    assert render_reason(reason("growth", 0.3, before=3, items=9), "en") == (
        "Coverage growing (3 → 9 items vs the 26 weeks before)"
    )
    assert render_reason({"code": "from-a-later-release", "params": {}}, "en") == (
        "from-a-later-release"
    )


def _old_store(path: Path) -> None:
    """A store as the previous release left it: same schema, old-style edition reasons."""
    db = open_db(path)
    db.execute("DELETE FROM migrations WHERE name = '008_reason_codes'")
    db.execute(
        "INSERT INTO editions (week, tech_id, quadrant, ring, score, movement, human, reasons,"
        " evidence, built_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [WEEK, "kubernetes", "cloud-infra-security", "hold", 0.42, "new", 1,
         json.dumps(OLD_REASONS, ensure_ascii=False), "{}", "2026-11-23T00:00:00Z"],
    )  # fmt: skip
    db.close()


def test_an_older_store_reads_the_same_everywhere_in_both_languages(tmp_path: Path) -> None:
    _old_store(tmp_path / "r.db")
    db = open_db(tmp_path / "r.db")  # applies 008_reason_codes
    taxonomy = load_taxonomy()
    [blip] = load_edition(db, WEEK)
    for lang in ("ja", "en"):
        assert [render_reason(r, lang) for r in blip["reasons"]] == [r[lang] for r in OLD_REASONS]
        byor = to_byor([blip], taxonomy, lang)[0]["description"]
        assert byor == " / ".join(r[lang] for r in OLD_REASONS)
        digest = compose(gather(db, taxonomy, WEEK, "https://x.example", tmp_path), lang).text
        assert OLD_REASONS[0][lang] in digest
    assert [r["points"] for r in blip["reasons"]] == [0.0, 0.4]
    db.close()
    for lang in ("ja", "en"):
        shown = radar(tmp_path, "radar", "--lang", lang)
        assert shown.returncode == 0, shown.stderr
        assert OLD_REASONS[0][lang].split(": ")[1][:12] in shown.stdout, "markup shown as text"
        assert OLD_REASONS[1][lang][:8] in shown.stdout


def test_radar_names_the_languages_it_can_show_in_one_line(tmp_path: Path) -> None:
    result = radar(tmp_path, "radar", "--lang", "fr")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: radar: --lang must be one of ja, en"
