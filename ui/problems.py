"""Errors of the HTTP API as RFC 9457 problem details (``application/problem+json``): the
same shape for every route, so a client reads ``status``, ``title`` and ``detail``, and
never a stack trace or a value somebody else typed unescaped into HTML."""

from __future__ import annotations

from starlette.responses import JSONResponse

from geo.errors import (
    InvalidGeometry,
    InvalidInput,
    NotFound,
    PermissionDenied,
    SafePlayError,
    TooManyAttempts,
)
from geo.i18n import N_, t

MEDIA_TYPE = "application/problem+json"
_STATUS_OF: tuple[tuple[type[SafePlayError], int, str], ...] = (
    (NotFound, 404, N_("Not found")),
    (PermissionDenied, 403, N_("Forbidden")),
    (TooManyAttempts, 429, N_("Too many requests")),
    (InvalidGeometry, 400, N_("Bad request")),
    (InvalidInput, 400, N_("Bad request")),
)


def problem(status: int, title: str, detail: str | None = None, **extra: object) -> JSONResponse:
    """A problem-details response; ``extra`` members are added as they are (our own words)."""
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def from_error(error: SafePlayError) -> JSONResponse:
    """The problem for a typed error of the core: its message is already in words (and in
    the language of the run, English unless the request chose one); a rate limit's says in
    ``Retry-After`` how many seconds to wait."""
    for kind, status, title in _STATUS_OF:
        if isinstance(error, kind):
            answer = problem(status, t(title), str(error))
            if isinstance(error, TooManyAttempts) and error.retry_after:
                answer.headers["Retry-After"] = str(error.retry_after)
            return answer
    return problem(400, t("Bad request"), str(error))
