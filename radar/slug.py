"""Stable ids made from names people type (feed titles, archive sources, technologies)."""

from __future__ import annotations

import hashlib
import re


def slugify(name: str) -> str:
    """Turn a name into a stable id; names with non-ASCII text get a short hash too.

    The hash keeps Japanese names apart, since their ASCII part alone is often empty or shared.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if len(slug) < 3 or not name.isascii():
        digest = hashlib.sha1(name.encode()).hexdigest()[:6]
        slug = f"{slug}-{digest}" if slug else f"feed-{digest}"
    return slug
