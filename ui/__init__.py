"""Streamlit glue shared by pages: the cached store, error display, fact tables."""
