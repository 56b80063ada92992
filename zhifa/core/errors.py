"""Errors with codes, shared by forms, pages and the API; each carries a Chinese message."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    REQUIRED = "required"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"  # concurrent edit: the object changed since it was loaded
    NOT_ALLOWED = "not_allowed"
    INVALID_STATE = "invalid_state"


class ServiceError(Exception):
    """A rule or input problem found by a service. `field` names the input field, if any."""

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": str(self.code), "field": self.field, "message": self.message}


class ValidationErrors(ServiceError):
    """Several field problems at once (form or import row)."""

    def __init__(self, errors: list[ServiceError]) -> None:
        super().__init__(ErrorCode.INVALID, "；".join(e.message for e in errors))
        self.errors = errors
