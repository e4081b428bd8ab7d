"""A background job's progress in the UI language: named steps, never the library's English.

Workflows report ``(stage, done, total, label)`` (:class:`radar.app.background.Step`);
training reports its steps as English text (``radar.classify.retrain``), which the command
line prints as is. Here both become a step name in Japanese or English; text this module
does not know is shown as it came (escaped by the caller), so a new step is never hidden.
"""

from __future__ import annotations

import re

from radar.app.background import Message
from radar.app.i18n import t

# retrain.py's progress texts -> the i18n key of the step they name ({n}: the number in it)
TRAIN_STEPS = (
    (re.compile(r"reading items and tags"), "step_train_read"),
    (re.compile(r"training on (\d+) items"), "step_train_fit"),
    (re.compile(r"evaluating on (\d+) held-out items"), "step_train_evaluate"),
    (re.compile(r"scoring every item"), "step_train_score"),
)
LABELLED = ("fetch", "editions")  # stages whose label (a feed, a week) is worth showing


def step_key(message: Message) -> str:
    """Which step a message belongs to: the same key for every report of one step."""
    if isinstance(message, str):
        return message
    if message.stage == "train":
        key, _ = _train_step(message.label)
        return key or f"train:{message.label}"
    return f"step_{message.stage}"


def _train_step(label: str) -> tuple[str | None, str | None]:
    """The i18n key of a training step's text and the number in it (None, None: unknown)."""
    for pattern, key in TRAIN_STEPS:
        if match := pattern.fullmatch(label):
            return key, next(iter(match.groups()), None)
    return None, None


def step_text(message: Message, lang: str) -> str:
    """One progress report as a step name with its count, in ``lang``."""
    if isinstance(message, str):
        return message
    if message.stage == "train":
        key, number = _train_step(message.label)
        return message.label if key is None else t(key, lang, n=number)
    text = t(f"step_{message.stage}", lang)
    if message.total:
        text += f" {message.done}/{message.total}"
    if message.label and message.stage in LABELLED:
        text += f"（{message.label}）" if lang == "ja" else f" ({message.label})"
    return text


def steps_so_far(messages: list[Message], lang: str) -> list[str]:
    """Each step reached, in order, with its latest report (the last one is under way)."""
    latest: dict[str, Message] = {}
    for message in messages:
        latest.pop(key := step_key(message), None)  # a repeated step moves to the end
        latest[key] = message
    return [step_text(message, lang) for message in latest.values()]
