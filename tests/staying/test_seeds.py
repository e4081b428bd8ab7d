"""Seed labels from dated hand-made radars: names, rings and dates only."""

from __future__ import annotations

from pathlib import Path

from radar.staying.seeds import load_seeds, volume_date
from radar.store.weekly import EPOCH_MONDAY


def test_adopt_is_a_standard_and_hold_without_adopt_is_fadish(tmp_path: Path) -> None:
    header = "name,ring,quadrant,isNew,description\n"
    (tmp_path / "Radar Volume 1 (Jan 2016).csv").write_text(
        header + "Kubernetes,assess,platforms,TRUE,x\nBlockchain,assess,techniques,TRUE,x\n"
    )
    (tmp_path / "Radar Volume 2 (Nov 2017).csv").write_text(
        header + "Kubernetes,adopt,platforms,FALSE,x\nBlockchain,hold,techniques,FALSE,x\n"
    )
    names = {"Kubernetes": "kubernetes", "Blockchain": "blockchain"}
    seeds = load_seeds(tmp_path, names.get)
    nov_2017 = (volume_date("(Nov 2017)") - EPOCH_MONDAY).days // 7  # type: ignore[operator]
    assert seeds == {"kubernetes": (1, nov_2017), "blockchain": (0, nov_2017)}
