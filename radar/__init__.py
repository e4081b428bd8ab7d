"""Trend Radar: judge from the news whether a technology is a fad or the coming standard."""

import radar.lean_imports  # noqa: F401  (first: sqlite-utils without pandas, see there)
from radar.config import Settings, load_settings
from radar.errors import RadarError

__all__ = ["RadarError", "Settings", "load_settings"]
__version__ = "0.1.0"
