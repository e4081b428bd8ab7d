"""Streamlit entry point used by `radar run`."""

from radar.app.main import main

main()
