"""SafePlay's application core: storage, domain rules, spatial analysis, import/export, maps.

Nothing here imports Streamlit, so every rule is testable with plain pytest and usable from
the command line (``python -m geo``).
"""
