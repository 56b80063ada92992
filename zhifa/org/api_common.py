"""Pieces shared by the organisation and certificate API modules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query

# Ids and offsets are bounded so that no number reaches the database beyond its 64-bit integers
# (SQLite raises OverflowError there): bad input is a 422 naming the parameter, never a 500.
MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1

Limit = Query(50, ge=1, le=100, description="每页条数（1-100）")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="跳过的条数")
# Text parameters refuse control characters (PostgreSQL rejects NUL in text).
TEXT_PATTERN = r"^[^\x00-\x1f]*$"


def id_query(description: str) -> Any:
    return Query(None, ge=1, le=MAX_ID, description=description)


def text_query(description: str, max_length: int = 50) -> Any:
    return Query(None, max_length=max_length, pattern=TEXT_PATTERN, description=description)


def caller(request: HttpRequest) -> Any:
    """The authenticated user (from the token or the session)."""
    return request.auth  # type: ignore[attr-defined]
