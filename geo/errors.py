"""Typed errors raised by the core.

Each carries a message a person can act on; pages show it with ``st.error`` and the command
line prints it on one line, so the message must never contain secrets or stack traces.
"""


class SafePlayError(Exception):
    """Base class: anything the user can fix or should be told about."""


class DatabaseBusy(SafePlayError):
    """The database file is held by another process (usually the running app)."""


class DatabaseUnavailable(SafePlayError):
    """The PostgreSQL server does not answer (stopped, restarting, unreachable) or lacks PostGIS.

    A page shows its message and the person tries again; nothing half-written stays behind,
    because the transaction it interrupted is rolled back by the server."""


class WriteConflict(SafePlayError):
    """Another transaction saved a clashing change at the same moment (on PostgreSQL: a
    serialisation failure, a deadlock, a unique key taken meanwhile). Nothing of this one was
    written; ``geo.storage.db.retry_on_conflict`` runs the operation again, which then sees
    the other's change."""


class SpatialUnavailable(SafePlayError):
    """The DuckDB spatial extension binary is missing or does not match DuckDB."""


class InvalidGeometry(SafePlayError):
    """A geometry is empty, unrepairable, of the wrong type or in an implausible place."""


class ImportRejected(SafePlayError):
    """A whole file was refused; nothing from it was written."""


class ExportFailed(SafePlayError):
    """An export could not be written."""


class NotFound(SafePlayError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class PermissionDenied(SafePlayError):
    """The acting user's role (or wards) does not allow this action."""


class AccountChanged(PermissionDenied):
    """The signed-in account was deactivated, or its role or wards changed, since sign-in:
    nothing more is done with the old rights; the person signs in again."""


class AuthenticationFailed(SafePlayError):
    """Wrong login or password (deliberately not saying which)."""


class AccountLocked(SafePlayError):
    """Too many failed sign-ins; the message says when the account unlocks."""


class WeakPassword(SafePlayError):
    """The password does not meet the rules; the message says which."""


class InvalidInput(SafePlayError):
    """A form value is missing, too long, out of range or inconsistent; the message says which."""


class IllegalTransition(SafePlayError):
    """A lifecycle step that the rules do not allow from the current status (or for this person)."""


class ChangedMeanwhile(IllegalTransition):
    """Somebody else moved the record on between this person's reading and deciding.

    With several replicas two officers can decide the same proposal at the same moment; the
    decision is written only if the record is still in the state it was read in, so exactly
    one wins and the other is told, with nothing written."""


class AccountProtected(SafePlayError):
    """A role change or deactivation refused because it would lock administrators out:
    nobody demotes or deactivates themself, and the last active administrator stays one."""


class TooManyAttempts(SafePlayError):
    """Too many sendings from one session or address in a short time; says when to retry
    (in words, and in ``retry_after`` seconds for an HTTP client's ``Retry-After``)."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotABackup(ImportRejected):
    """A file offered for restore is not a SafePlay database; nothing was replaced."""


class CopyRefused(SafePlayError):
    """A copy between stores was not started: the source is not at the newest schema, or the
    target already holds data (a copy only fills an empty store); nothing was written."""


class CopyFailed(SafePlayError):
    """A copy between stores, read back, differs from its source: the target must not be used."""
