"""The intake demo of `load_demo` (zhifa/intake/demo.py): every status of the loop, made by the services,
in the demo county's micro grids; idempotent."""

from __future__ import annotations

import io
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhifa.core.models import Event
from zhifa.intake.demo import load_intake_demo
from zhifa.intake.models import (
    OPEN_STATUSES,
    Clue,
    ClueCategory,
    ClueStatus,
    ClueStep,
    JointMeeting,
    StepKind,
    StepLimit,
)
from zhifa.org.generate.demo import DEMO_ADCODE
from zhifa.org.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_county(db):
    from zhifa.org.generate.demo import load_demo
    from zhifa.powers.demo import load_power_demo

    load_demo()
    county = Region.objects.get(adcode=DEMO_ADCODE)
    load_power_demo(county)
    return county


def test_demo_clues_cover_the_loop_and_a_second_load_changes_nothing(demo_county):
    started = time.perf_counter()
    result = load_intake_demo(demo_county)
    seconds = time.perf_counter() - started
    assert result.created and seconds < 10, seconds  # about 1 s on SQLite (reported, not a benchmark)
    clues = Clue.objects.filter(region__adcode__startswith=demo_county.prefix)
    assert clues.count() == 40
    statuses = Counter(clues.values_list("status", flat=True))
    assert set(statuses) == set(ClueStatus.values), statuses
    assert JointMeeting.objects.filter(clue__in=clues).count() == 1
    merged = clues.get(status=ClueStatus.MERGED)
    assert merged.merged_into.is_open
    # Placed in micro grids of the county (one hotline clue lies outside every grid, one has no position).
    placed = clues.exclude(outside_grid=True).exclude(lat=None)
    assert all(c.grid_cell.level == 5 and c.township.parent_id == demo_county.pk for c in placed)
    assert clues.filter(outside_grid=True).count() == 1
    # Overdue steps and late marks, for the warnings.
    now = timezone.now()
    assert clues.filter(status__in=OPEN_STATUSES, step_due_at__lt=now).count() >= 3
    assert ClueStep.objects.filter(clue__in=clues, kind=StepKind.REOPEN).count() == 1
    assert ClueStep.objects.filter(clue__in=clues, kind=StepKind.SEND_BACK).count() == 1
    assert clues.filter(rating__isnull=False).count() == 2
    # Each step in order, each with a record event (the services made them).
    for clue in clues:
        times = list(clue.steps.order_by("id").values_list("at", flat=True))
        assert times == sorted(times), clue.code
    assert Event.objects.filter(action="clue.report").count() == 40
    # Categories linked to their domain and usual items; the demo's time limits.
    fire = ClueCategory.objects.get(code="fire-hazard")
    assert fire.domain.code == "fire" and fire.items.filter(code="CF-XF-001").exists()
    assert StepLimit.objects.filter(category=fire).count() == 3
    # Idempotent: a second run writes nothing.
    events = Event.objects.count()
    assert not load_intake_demo(demo_county).created
    assert Event.objects.count() == events and Clue.objects.count() == 40


def test_load_demo_command_reports_the_clues_once(db):
    out = io.StringIO()
    call_command("load_demo", "--without-cases", stdout=out)
    assert "已生成演示县的线索：40 条" in out.getvalue()
    out = io.StringIO()
    call_command("load_demo", "--without-cases", stdout=out)
    assert "线索" not in out.getvalue() and Clue.objects.count() == 40


def test_category_and_limit_services_check_their_input(county):
    """The services the demo configures intake with: administrators only, limits 1 minute or more
    (not statutory: LAW.md "What Zhifa keeps configurable"), one record event each."""
    from zhifa.core.errors import ServiceError
    from zhifa.intake.services.categories import category_link, step_limit_set
    from zhifa.org.models import RoleCode

    fire = ClueCategory.objects.get(code="fire-hazard")
    officer, admin = county.user(RoleCode.OFFICER, "t0"), county.user(RoleCode.ADMIN, "county")
    with pytest.raises(ServiceError):
        step_limit_set(actor=officer, category=fire, step=StepKind.DISPATCH, minutes=10)
    for minutes in (0, -5, True):
        with pytest.raises(ServiceError) as exc:
            step_limit_set(actor=admin, category=fire, step=StepKind.DISPATCH, minutes=minutes)
        assert exc.value.field == "minutes"
    with pytest.raises(ServiceError) as exc:
        step_limit_set(actor=admin, category=fire, step=StepKind.REPORT, minutes=10)
    assert exc.value.field == "step"
    limit = step_limit_set(actor=admin, category=fire, step=StepKind.DISPATCH, minutes=10)
    again = step_limit_set(actor=admin, category=fire, step=StepKind.DISPATCH, minutes=12)
    assert again.pk == limit.pk and again.minutes == 12
    assert Event.objects.filter(action="step_limit.set").count() == 2
    category_link(actor=admin, category=fire, domain=county.domains["urban"], items=[])
    fire.refresh_from_db()
    assert fire.domain == county.domains["urban"] and fire.version == 2
    with pytest.raises(ServiceError) as exc:
        category_link(actor=admin, category=fire, domain=None, items=[], version=1)
    assert exc.value.code == "conflict"
