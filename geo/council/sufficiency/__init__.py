"""The statutory play sufficiency assessment: frameworks, figures from SafePlay's data, the
officer's ratings, evidence and action plan, and its export as DOCX, PDF and HTML."""
