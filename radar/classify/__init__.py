"""Classify items: which technologies a headline names, and (later) how they fare.

`taxonomy` loads the staff-editable taxonomy.yaml (quadrants, technologies and their
aliases) and validates it; `mentions` finds the technologies a text names by alias,
fast enough to re-tag every stored headline when staff edit the taxonomy.
"""
