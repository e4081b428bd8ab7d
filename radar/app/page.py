"""The page script ``st.App`` runs on every rerun (see :mod:`radar.app.streamlit_app`)."""

from radar.app.main import main

main()
