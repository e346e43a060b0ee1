"""Data in and out: reading files and OpenStreetMap extracts, imports, exports, backups and
restores, and the demo town.
"""
