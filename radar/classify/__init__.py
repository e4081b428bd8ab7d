"""Classify items: which technologies a headline names, its quadrant, relevance and tone.

`mentions` finds the technologies a text names by alias (the taxonomy itself is
:mod:`radar.taxonomy`), fast enough to re-tag every stored headline when staff edit it.
"""
