"""Trend Radar web app: `streamlit run app.py` (or `radar run`, which also schedules fetching)."""

from radar.app.main import main

main()
