"""Fixtures of the case tests."""

from __future__ import annotations

import pytest

from zhifa.cases.tests.factories import CaseWorld, build_case_world


@pytest.fixture
def world(county) -> CaseWorld:
    return build_case_world(county)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
