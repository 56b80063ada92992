"""The cases source of the capacity assessment (APL Art. 24: the county evaluates periodically whether
townships can carry the powers handed to them): cases filed in the period by the township's own agency,
per township and item; registered cases not yet filed, other periods, other items and departments' cases
do not count."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.cases.exercise import count_cases
from zhifa.cases.models import Case
from zhifa.cases.tests.factories import open_case
from zhifa.powers import exercise

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=30), TODAY


def filed(case: Case, on: datetime.date) -> Case:
    # Filing itself is tested with the engine (test_filing*); here only its date matters.
    Case.objects.filter(pk=case.pk).update(filed_on=on)
    return case


def test_filed_cases_of_the_township_agency_are_counted_per_township_and_item(world):
    county = world.county
    t0, t1 = county.townships[0].pk, county.townships[1].pk
    filed(open_case(world), TODAY - datetime.timedelta(days=2))
    filed(open_case(world), START)  # the first day of the period counts
    filed(open_case(world), START - datetime.timedelta(days=1))  # before the period
    open_case(world)  # registered, not filed
    filed(open_case(world, item=world.spot_item), TODAY)
    department_case = open_case(world)  # a department's case in the township is not the township's
    Case.objects.filter(pk=department_case.pk).update(agency=county.department_agency, filed_on=TODAY)

    counts = count_cases([t0, t1], [world.item.pk, world.spot_item.pk], START, END)
    assert counts == {(t0, world.item.pk): 2, (t0, world.spot_item.pk): 1}
    assert count_cases([t1], [world.item.pk], START, END) == {}
    assert count_cases([t0], [], START, END) == {}


def test_the_assessment_reads_cases_through_the_registered_source(world):
    t0 = world.county.townships[0].pk
    filed(open_case(world), TODAY)
    assert exercise.CASES in [s.key for s in exercise.exercise_sources()]
    counts = exercise.exercise_counts([t0], [world.item.pk], START, END)
    assert counts.count(exercise.CASES, t0, world.item.pk) == 1
