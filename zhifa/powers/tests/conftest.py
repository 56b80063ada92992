"""Fixtures shared by the powers tests."""

from __future__ import annotations

import pytest

from zhifa.powers.tests.test_capacity_helpers import World, build_world


@pytest.fixture
def world(county) -> World:
    """Items granted and claimed in the test county, certified officers: a world to assess."""
    return build_world(county)
