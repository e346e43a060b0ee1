"""Data in and out: reading files and OpenStreetMap extracts, imports, exports and the
demo town.
"""
