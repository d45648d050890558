"""The one error hierarchy of OneZone.

Every domain error has a stable machine code, a Chinese message that says what is wrong and what
to do, and optionally per-field messages. The API renders them as ``{"code", "message", "fields"}``;
pages show the message beside the form or at the top.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"
    PERMISSION_DENIED = "permission_denied"
    NOT_AUTHENTICATED = "not_authenticated"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    STALE = "stale"
    LOCKED = "locked"
    RATE_LIMITED = "rate_limited"


class DomainError(Exception):
    """Base of all expected errors. ``http_status`` is what the API answers with."""

    code: ErrorCode = ErrorCode.INVALID
    http_status: int = 400

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        code: ErrorCode | str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        if code is not None:
            self.code = ErrorCode(code) if code in ErrorCode._value2member_map_ else code

    def as_dict(self) -> dict[str, object]:
        return {"code": str(self.code), "message": self.message, "fields": self.fields}


class InvalidInput(DomainError):
    code = ErrorCode.INVALID
    http_status = 400


class PermissionDenied(DomainError):
    code = ErrorCode.PERMISSION_DENIED
    http_status = 403


class NotAuthenticated(DomainError):
    code = ErrorCode.NOT_AUTHENTICATED
    http_status = 401


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND
    http_status = 404


class Conflict(DomainError):
    code = ErrorCode.CONFLICT
    http_status = 409


class TransitionNotAllowed(Conflict):
    code = ErrorCode.TRANSITION_NOT_ALLOWED


class StaleObject(Conflict):
    """Someone else changed the record first; reload and try again."""

    code = ErrorCode.STALE


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED
    http_status = 429
