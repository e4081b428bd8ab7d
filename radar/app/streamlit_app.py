"""Entry point used by `radar run`: the app on Streamlit's ASGI server, with our two routes.

``streamlit run`` sees the ``st.App`` below and serves it (uvicorn), so the sign-in cookie
routes and the single sign-on secrets ride on the same server and port as the pages.
"""

import streamlit as st

from radar.app.launch import PAGE, routes, secrets

app = st.App(PAGE, routes=routes(), secrets=secrets())
