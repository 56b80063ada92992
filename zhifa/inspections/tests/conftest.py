"""Fixtures of the inspection tests."""

from __future__ import annotations

import pytest

from zhifa.inspections.testing import InspectionWorld, build_inspection_world


@pytest.fixture
def insp(county) -> InspectionWorld:
    """The test county with departments, certified inspectors, items, a scenario and subjects."""
    return build_inspection_world(county)


@pytest.fixture
def other_insp(other_county) -> InspectionWorld:
    """A second county's inspection world (for attempts to reach it by id)."""
    return build_inspection_world(other_county)
