"""Fixtures shared by the organisation app's tests (the county itself comes from zhifa/conftest.py)."""

from __future__ import annotations

import pytest

from zhifa.org.models import RoleCode


@pytest.fixture
def actor(county):
    """The county administrator, who may write anywhere in the county."""
    return county.user(RoleCode.ADMIN, "county")


@pytest.fixture
def justice(county):
    """A county justice bureau user: issues and manages enforcement certificates."""
    return county.user(RoleCode.JUSTICE_BUREAU, "county")
