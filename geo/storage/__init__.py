"""The database and what every feature stores through it: opening and migrating the file,
ward membership, query results as frames, backups and form tokens.
"""
