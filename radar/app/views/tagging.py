"""Tagging page: this week's queue; one click per answer (topic, staying power, relevance).

Buttons are reachable with Tab and pressed with Enter or Space. The queue is fixed for the
session (tagged items stay, marked), so the list does not jump while staff work through it;
"undo" puts back the tag an item had before the last click.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from radar.app import access, actions, data, nav
from radar.app.i18n import lang_name, t
from radar.app.safe import md, web_link
from radar.app.times import shown
from radar.classify.review import week_seed
from radar.errors import RadarError
from radar.labels import quadrant_name, tech_name
from radar.store.labels import STAYING
from radar.store.weekly import week_label, week_of
from radar.timefmt import utcnow

QUEUE_KEY = "tag_queue"
UNDO_KEY = "tag_undo"
ERROR_KEY = "tag_error"


def _tag(item_id: int, user: str, fields: dict[str, Any]) -> None:
    try:
        before = actions.tag_item(item_id, user, **fields)
    except RadarError as exc:
        st.session_state[ERROR_KEY] = str(exc)
        return
    st.session_state.setdefault(UNDO_KEY, []).append((item_id, before))


def _undo() -> None:
    stack = st.session_state.get(UNDO_KEY) or []
    if stack:
        item_id, before = stack.pop()
        actions.restore_tag(item_id, before)


def _with_linked(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put the item a digest link asks about (``?item=ID``) first, adding it if needed."""
    linked = nav.query_value("item")
    if not linked or not linked.isdigit():
        return entries
    item_id = int(linked)
    found = [e for e in entries if e["id"] == item_id]
    if not found:
        found = [
            {"id": row["id"], "title": row["title"], "link": row["link"], "lang": row["lang"],
             "published": row["published"], "quadrant": None, "quadrant_confidence": 0.0,
             "technologies": [], "reason": "linked"}
            for row in data.items_by_id((item_id,))
        ]  # fmt: skip
    return found + [e for e in entries if e["id"] != item_id]


def _buttons(entry: dict[str, Any], tag: dict[str, Any] | None, user: str, lang: str) -> None:
    taxonomy = data.taxonomy()
    item_id = entry["id"]
    tag = tag or {}
    rows: list[tuple[str, list[tuple[str, Any, str]]]] = [
        ("quadrant", [(q.id, q.id, quadrant_name(taxonomy, q.id, lang))
                      for q in taxonomy.quadrants]),
        ("staying", [(value, value, t(f"staying_{value}", lang)) for value in STAYING]),
        ("relevant", [("yes", True, t("relevant_yes", lang)),
                      ("no", False, t("relevant_no", lang))]),
    ]  # fmt: skip
    for field, choices in rows:
        cols = st.columns([1.2] + [1.0] * len(choices))
        cols[0].caption(t(f"tag_{field}", lang))
        for col, (key, value, label) in zip(cols[1:], choices, strict=True):
            chosen = tag.get(field) is not None and (
                bool(tag[field]) == value if field == "relevant" else tag[field] == value
            )
            col.button(
                md(label), key=f"tag_{item_id}_{field}_{key}",
                type="primary" if chosen else "secondary", width="stretch",
                on_click=_tag, args=(item_id, user, {field: value}),
            )  # fmt: skip


def _why(item_id: int, lang: str) -> None:
    """What the rules found and what the model weighed (computed only when asked)."""
    taxonomy = data.taxonomy()
    found = data.explanation(item_id)
    quadrant = partial(quadrant_name, taxonomy, lang=lang)
    lines = [
        (t("why_mentions", lang), ", ".join(f"{tech_name(taxonomy, m['tech'], lang)}"
                                            f" ({m['text']})" for m in found["mentions"])),
        (t("why_topic_terms", lang), ", ".join(f"{x['term']} ({quadrant(x['quadrant'])})"
                                               for x in found["topic_terms"])),
        (t("why_rules", lang), quadrant(found["rule_quadrant"])),
        (t("why_model", lang), quadrant(found.get("model_quadrant"))),
        (t("why_meaning", lang), quadrant(found.get("meaning_quadrant"))),
        (t("why_model_terms", lang), ", ".join(x["term"] for x in found.get("quadrant_terms", []))),
    ]  # fmt: skip
    st.caption("  \n".join(f"{md(name)}: {md(value or '—')}" for name, value in lines))


def _entry(entry: dict[str, Any], user: str | None, lang: str) -> None:
    taxonomy = data.taxonomy()
    tag = data.tag(entry["id"]) if user else None
    with st.container(border=True):
        st.text(entry["title"])
        guess = quadrant_name(taxonomy, entry["quadrant"], lang)
        techs = ", ".join(tech_name(taxonomy, tech, lang) for tech in entry["technologies"])
        st.caption(md(
            f"#{entry['id']} · {shown(entry['published'])} · {lang_name(entry['lang'], lang)} · "
            f"{t('why_asked_' + entry['reason'], lang)} · {t('model_guess', lang)}: {guess} "
            f"({entry['quadrant_confidence']:.2f})" + (f" · {techs}" if techs else "")
        ))  # fmt: skip
        link = web_link(entry["link"])
        if link:
            st.link_button(t("open_item", lang), link)
        if st.toggle(t("show_why", lang), key=f"why_{entry['id']}"):
            _why(entry["id"], lang)
        if user is None:
            return
        _buttons(entry, tag, user, lang)
        if tag:
            st.caption(t("tagged_by", lang, by=md(tag["tagged_by"]),
                         at=shown(tag["tagged_at"])))  # fmt: skip


def render(lang: str) -> None:
    """Draw the tagging page."""
    st.header(t("tagging", lang))
    if data.item_count() == 0:
        st.info(t("empty_store", lang))
        return
    user = access.writer(lang)
    seed = week_seed(week_label(week_of(utcnow())))
    held = st.session_state.get(QUEUE_KEY)
    if held is None or held[0] != seed:
        held = (seed, data.queue(seed))
        st.session_state[QUEUE_KEY] = held
    entries = _with_linked(held[1])
    st.session_state[QUEUE_KEY] = (seed, entries)
    if not entries:
        st.info(t("queue_empty", lang))
        return
    if error := st.session_state.pop(ERROR_KEY, None):
        st.error(md(error))
    top = st.columns([3, 1, 1])
    top[0].caption(t("queue_caption", lang, n=len(entries)))
    if user is not None:
        stack = st.session_state.get(UNDO_KEY) or []
        top[1].button(t("undo", lang), key="tag_undo_button", disabled=not stack,
                      on_click=_undo)  # fmt: skip
        if top[2].button(t("refresh_queue", lang), key="tag_refresh"):
            st.session_state.pop(QUEUE_KEY, None)
            data.clear()
            st.rerun()
    for entry in entries:
        _entry(entry, user, lang)
