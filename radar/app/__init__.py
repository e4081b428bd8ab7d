"""The Streamlit web app: pages read input, call the library, draw. Only here imports streamlit."""
