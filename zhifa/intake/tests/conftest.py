"""Fixtures of the intake tests."""

from __future__ import annotations

import pytest

from zhifa.intake.tests.helpers import IntakeWorld, build_intake_world


@pytest.fixture
def world(county) -> IntakeWorld:
    return build_intake_world(county)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
