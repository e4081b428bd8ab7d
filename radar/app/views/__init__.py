"""One module per page; each exposes render(lang).

Named ``views``, not ``pages``: Streamlit treats a ``pages/`` folder beside its entry script
(``streamlit_app.py``) as pages of its own, so a direct link such as ``/models`` opened before
any other page showed a blank page with the module names in the menu.
"""
