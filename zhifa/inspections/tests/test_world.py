"""The shared inspection world builds on both databases and its subjects are scoped by township."""

from __future__ import annotations

from zhifa.inspections.models import Subject
from zhifa.org.models import RoleCode
from zhifa.org.scoping import editable, visible
from zhifa.org.services.structure_rules import uscc_check_char


def test_world_builds(insp, other_insp):
    assert Subject.objects.count() == 20
    for subject in Subject.objects.all():
        assert uscc_check_char(subject.uscc[:17]) == subject.uscc[17]
    assert insp.scenario.items.count() == 4


def test_subjects_are_county_directory_rows(insp, other_insp):
    user = insp.county.user(RoleCode.OFFICER, "t0")
    seen = set(visible(Subject.objects.all(), user).values_list("pk", flat=True))
    assert seen == {s.pk for s in insp.subjects}  # the whole county reads them, not the other county
    own = set(editable(Subject.objects.all(), user).values_list("pk", flat=True))
    assert own == {s.pk for s in insp.subjects if s.township == insp.county.townships[0]}
