"""Models page: versions and their held-out metrics; retrain, promote or roll back
(signed in), each in the background with its progress shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from radar import chart_judgment
from radar.app import access, background, data, progress
from radar.app.i18n import t
from radar.app.times import shown, version_time
from radar.classify.changes import last_change
from radar.classify.compare import TOLERANCE
from radar.classify.retrain import TrainResult

RETRAIN_KEY = progress.RETRAIN
SWITCH_KEY = progress.SWITCH


def _metric(metrics: dict[str, Any], part: str, key: str) -> float | None:
    return (metrics.get(part) or {}).get(key)


def _table(versions: list[dict[str, Any]], lang: str) -> None:
    st.dataframe(
        [{t("version", lang): row["version"],
          t("trained_at", lang): shown(version_time(row["version"])),
          t("current", lang): "✓" if row["current"] else "",
          t("heldout_basis", lang): t(f"basis_{row['metrics'].get('basis', 'weak')}", lang),
          t("heldout_n", lang): _metric(row["metrics"], "overall", "n"),
          t("quadrant_f1", lang): _metric(row["metrics"], "overall", "quadrant_macro_f1"),
          t("relevance_auc", lang): _metric(row["metrics"], "overall", "relevance_auc"),
          t("quadrant_f1_ja", lang): _metric(row["metrics"], "ja", "quadrant_macro_f1"),
          t("quadrant_f1_en", lang): _metric(row["metrics"], "en", "quadrant_macro_f1")}
         for row in versions],
        hide_index=True,
    )  # fmt: skip
    if any(row["metrics"].get("basis") == "weak" for row in versions):
        st.caption(t("weak_basis_note", lang))


def describe_training(result: TrainResult | None, lang: str) -> str:
    """What a retraining decided and why, in words: the comparison, then the decision.

    Weak held-out labels (the rules judging their own copy) cannot tell two versions apart,
    and a difference within the tolerance is no difference: both are said, not hidden
    behind a bare "worse".
    """
    if not result:
        return ""
    comparison = result.comparison
    if comparison is None:
        return t("model_promoted", lang, version=result.version)
    parts = [t(f"compare_{comparison.verdict}", lang, tolerance=comparison.tolerance)]
    if result.promoted and comparison.worse:
        parts.append(t("model_forced", lang, version=result.version))
    elif result.promoted:
        parts.append(t("model_promoted", lang, version=result.version))
    else:
        parts.append(t("model_kept_worse", lang, version=result.version))
    if result.changed and not result.promoted:  # seeds or sentence model differ
        what = "、".join if lang == "ja" else ", ".join
        parts.append(
            t("model_kept_recipe", lang,
              what=what(t(f"recipe_{key}", lang) for key in result.changed))
        )  # fmt: skip
    return " ".join(parts)


def _judgment(lang: str) -> None:
    """The staying-power judgment's track record: reliability diagram and ring mix."""
    record = data.track_record()
    st.subheader(t("judgment", lang))
    if record.calibration is None:
        st.info(t("judgment_too_young", lang, checked=record.checked))
    else:
        st.caption(
            t("judgment_help", lang, checked=record.checked, editions=record.editions,
              brier=record.calibration["brier"], ece=record.calibration["ece"])
        )  # fmt: skip
        st.plotly_chart(
            chart_judgment.reliability_figure(record.reliability, lang), theme=None,
            key="reliability_chart",
        )  # fmt: skip
    if record.rings:
        st.subheader(t("ring_mix", lang))
        st.plotly_chart(
            chart_judgment.ring_mix_figure(record.rings, lang), theme=None, key="ring_mix_chart"
        )


def render(lang: str) -> None:
    """Draw the models page."""
    st.header(t("models", lang))
    progress.settle()
    progress.outcome(RETRAIN_KEY, lang, lambda result: describe_training(result, lang))
    progress.outcome(SWITCH_KEY, lang)
    versions = data.model_versions()
    if versions:
        change = last_change(data.settings().models_dir)
        if change:
            at = shown(str(change["at"]))
            st.caption(t("model_changed", lang, at=at, why=t(f"why_{change['reason']}", lang)))
        _table(versions, lang)
    else:
        st.info(t("no_models", lang))
    _judgment(lang)
    user = access.writer(lang)
    if user is None:
        return
    settings = data.settings()
    st.subheader(t("retrain", lang))
    st.caption(t("retrain_help", lang, tolerance=TOLERANCE))
    force = st.checkbox(t("force_promote", lang), key="retrain_force")
    _start_button(
        "retrain_start", RETRAIN_KEY, "retrain", background.retrain(settings, force), lang
    )
    others = [row["version"] for row in versions if not row["current"]]
    if not others:
        return
    st.subheader(t("switch_model", lang))
    version = st.selectbox(t("version", lang), others, key="switch_version")
    work = background.switch_model(settings, version)
    _start_button("switch_start", SWITCH_KEY, "model", work, lang)


def _start_button(
    key: str, job_key: str, kind: str, work: Callable[[background.Say], Any], lang: str
) -> None:
    """A button starting a background job (disabled while one of its kind runs anywhere)."""
    busy = background.running(kind) is not None
    if st.button(t(key, lang), key=key, disabled=busy) and progress.launch(
        job_key, kind, work, lang
    ):
        st.rerun()
