"""Fixtures of the disclosure tests."""

from __future__ import annotations

import pytest

from zhifa.cases.tests.factories import CaseWorld, build_case_world


@pytest.fixture
def world(county) -> CaseWorld:
    """The test county's case world: an item, officers, a team leader (zhifa.cases.tests.factories)."""
    return build_case_world(county)
