"""Form tokens: one form render writes at most one record.

A page draws a fresh random token each time it shows an empty form and passes it with the
write. Inside the write's transaction the core looks the token up first (``earlier``): if
that render already wrote, the caller returns the first record's id and writes nothing.
Otherwise it writes and ``remember``\\ s the token in the same transaction, so two presses
racing each other cannot both commit (the token is the table's primary key). Writes
without a token (the command line, imports, tests) are not deduplicated.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from geo.errors import InvalidInput, WriteConflict

TOKEN_LENGTHS = range(16, 65)


def _checked(token: str) -> str:
    if not isinstance(token, str) or len(token) not in TOKEN_LENGTHS:
        raise InvalidInput("this form has expired; reload the page and send it again")
    return token


def earlier(cursor: duckdb.DuckDBPyConnection, token: str | None, kind: str) -> int | None:
    """The record this token already wrote, if any (``None`` for a first press)."""
    if token is None:
        return None
    row = cursor.execute(
        "SELECT record_id FROM form_submissions WHERE token = ? AND kind = ?",
        [_checked(token), kind],
    ).fetchone()
    return int(row[0]) if row else None


def remember(
    cursor: duckdb.DuckDBPyConnection,
    token: str | None,
    kind: str,
    record_id: int,
    now: datetime,
) -> None:
    """Record that this token wrote ``record_id`` (inside the same transaction as the write).

    If the token was taken meanwhile — the same press arriving at two replicas at once — this
    record would be a twin: ``WriteConflict`` rolls it back, and the caller's retry finds the
    first record with ``earlier``."""
    if token is None:
        return
    kept = cursor.execute(
        "INSERT INTO form_submissions (token, kind, record_id, submitted_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (token) DO NOTHING RETURNING token",
        [_checked(token), kind, record_id, now],
    ).fetchone()
    if kept is None:
        raise WriteConflict("this form was sent twice at the same moment")
