"""Reporting clues: checks naming the field, placement in the grid, retries, photos, one event."""

from __future__ import annotations

import pytest

from zhifa.core.errors import ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.intake.models import Clue, CluePhoto, ClueStatus, ClueStep
from zhifa.intake.services.photos import PhotoUpload
from zhifa.intake.services.report import clue_report, clue_report_public
from zhifa.intake.tests.helpers import INSIDE_T0, INSIDE_T1, OUTSIDE, clue_input
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def fields(exc: ValidationErrors) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


def test_grid_worker_report_is_placed_and_recorded(world, media):
    worker = world.user(RoleCode.GRID_WORKER, "t0")
    before = Event.objects.count()
    clue = clue_report(actor=worker, data=clue_input(world, photos=[PhotoUpload("a.jpg", JPEG)]))
    assert clue.status == ClueStatus.REPORTED and clue.grid_cell == world.micro[0]
    assert clue.township == world.county.townships[0] and clue.region == world.county.communities[0]
    assert not clue.outside_grid and clue.step_due_at > clue.reported_at  # the dispatch limit runs
    assert len(clue.tracking_code) == 10 and clue.code.startswith("XS")
    photo = CluePhoto.objects.get(clue=clue)
    assert (media / photo.file).read_bytes() == JPEG and photo.content_type == "image/jpeg"
    assert list(ClueStep.objects.filter(clue=clue).values_list("kind", flat=True)) == ["report"]
    assert list(Event.objects.order_by("seq").values_list("action", flat=True)[before:]) == ["clue.report"]


def test_point_in_another_township_goes_there(world):
    clue = clue_report(
        actor=world.user(RoleCode.DISPATCHER, "county"), data=clue_input(world, INSIDE_T1, source="12345")
    )
    assert clue.township == world.county.townships[1]


def test_outside_every_grid_is_flagged_and_keeps_the_reporters_region(world):
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    clue = clue_report(actor=dispatcher, data=clue_input(world, OUTSIDE, source="hotline"))
    assert clue.outside_grid and clue.grid_cell is None and clue.region == world.county.county


def test_public_report_without_position_needs_a_region(world):
    with pytest.raises(ServiceError) as exc:
        clue_report_public(data=clue_input(world, None, source="public"))
    assert exc.value.field == "region"
    clue = clue_report_public(data=clue_input(world, None, source="public", region=world.county.townships[1]))
    assert clue.township == world.county.townships[1] and clue.reported_by is None


def test_bad_input_names_every_field_and_saves_nothing(world):
    worker = world.user(RoleCode.GRID_WORKER, "t0")
    with pytest.raises(ValidationErrors) as exc:
        clue_report(
            actor=worker, data=clue_input(world, (300.0, 26.0), text=" ", category=None, priority="x")
        )
    problems = fields(exc.value)
    assert {"text", "category", "priority"} <= set(problems) and ("lng" in problems or "lat" in problems)
    assert problems["text"] == "请描述情况（至少4个字）。"
    assert not Clue.objects.exists()


@pytest.mark.parametrize("content", [b"%PDF-1.7 not a photo", b"", b"GIF89a" + b"\x00" * 10])
def test_photos_are_checked_by_content(world, media, content):
    worker = world.user(RoleCode.GRID_WORKER, "t0")
    with pytest.raises(ValidationErrors) as exc:
        clue_report(actor=worker, data=clue_input(world, photos=[PhotoUpload("x.jpg", content)]))
    assert "photos" in fields(exc.value)
    assert not Clue.objects.exists() and not list(media.rglob("*.jpg"))


def test_a_retry_with_the_same_key_returns_the_same_clue(world, media):
    worker = world.user(RoleCode.GRID_WORKER, "t0")
    data = clue_input(world, client_key="4c1f7d1e-retry", photos=[PhotoUpload("a.png", PNG)])
    first = clue_report(actor=worker, data=data)
    second = clue_report(actor=worker, data=data)
    assert first.pk == second.pk and Clue.objects.count() == 1 and CluePhoto.objects.count() == 1


def test_gcj02_positions_are_converted(world):
    from zhifa.core import coords

    lng, lat = coords.wgs84_to_gcj02(*INSIDE_T0)
    clue = clue_report(
        actor=world.user(RoleCode.GRID_WORKER, "t0"), data=clue_input(world, (lng, lat), coord_system="gcj02")
    )
    assert abs(clue.lng - INSIDE_T0[0]) < 1e-5 and abs(clue.lat - INSIDE_T0[1]) < 1e-5
    assert clue.grid_cell == world.micro[0]


def test_people_without_a_reporting_role_cannot_report(world):
    with pytest.raises(ServiceError) as exc:
        clue_report(actor=world.user(RoleCode.LEGAL_REVIEWER, "t0"), data=clue_input(world))
    assert exc.value.code == "not_allowed"
