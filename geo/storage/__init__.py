"""The database every feature stores through: opening and migrating the file, the one way to
read and write (``db.Store``), ward membership, query results as frames, and form tokens.
"""
