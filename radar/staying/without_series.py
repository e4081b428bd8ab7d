"""The staying model trained on the same labels with the series held neutral: what series add.

A back-test scores both on one truth; the difference is what the adoption and attention
series bring to the judgment, with nothing else changed (same samples, same labels, same
fitting). Wherever ``model_for_week`` changes how it fits (calibration), this follows it.
"""

from __future__ import annotations

from radar.staying.calibration import CalibratedModel, calibrated_fit
from radar.staying.editions import training_set
from radar.staying.model import fit_staying
from radar.staying.series_signals import NEUTRAL
from radar.staying.signals import TechSeries
from radar.store.weekly import WeeklyData


def model_without_series(
    series: dict[str, TechSeries], data: WeeklyData, week: int,
    seeds: dict[str, tuple[int, int]] | None = None,
) -> CalibratedModel:  # fmt: skip
    """``model_for_week`` with every series feature at its neutral value (and calibrated alike)."""
    train = training_set(series, data, week, seeds)
    samples = [{**x, **NEUTRAL} for x in train.samples]
    weeks = [w for _, w in train.keys]
    return calibrated_fit(samples, train.labels, weeks, week, fit_staying, train.bases)
