"""Visit services (start, check, findings, to clue, finish, rating) and the repeat-visit warning."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.inspections.models import Finding, VisitCheck, VisitResult, VisitState
from zhifa.inspections.selectors.visits import repeat_visit_warnings
from zhifa.inspections.services import visits as svc
from zhifa.inspections.services.visit_factory import TeamMember, create_visit


def make_visit(insp, key="market", days=0, subject=0, items=("M1",)):
    officers = insp.officers[key]
    with transaction.atomic():
        return create_visit(
            actor=None,
            subject_id=insp.subjects[subject].pk,
            agency=insp.agencies[key],
            items=[insp.items[i] for i in items],
            planned_on=timezone.localdate() + datetime.timedelta(days=days),
            team=[TeamMember(p, insp.agencies[key], f"C{p.pk}") for p in officers],
        )


def events(action):
    return Event.objects.filter(action=action).count()


def started(insp):
    visit = make_visit(insp)
    return svc.visit_start(actor=insp.user("market-0"), visit=visit, version=visit.version)


def test_start(insp):
    visit = make_visit(insp)
    visit = svc.visit_start(actor=insp.user("market-0"), visit=visit, version=1)
    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS and visit.started_at and visit.version == 2
    assert events("inspections.visit.start") == 1


def test_stale_version_refused(insp):
    visit = make_visit(insp)
    svc.visit_start(actor=insp.user("market-0"), visit=visit, version=1)
    with pytest.raises(ServiceError) as e:
        svc.visit_finish(actor=insp.user("market-0"), visit=visit, result=VisitResult.PASS, version=1)
    assert e.value.code == ErrorCode.CONFLICT
    assert events("inspections.visit.finish") == 0


def test_other_agency_inspector_refused(insp):
    visit = make_visit(insp)
    with pytest.raises(ServiceError) as e:
        svc.visit_start(actor=insp.user("safety-0"), visit=visit, version=1)
    assert e.value.code == ErrorCode.NOT_ALLOWED
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED and events("inspections.visit.start") == 0


def test_check_upsert_and_bad_input(insp):
    visit = started(insp)
    user, item = insp.user("market-1"), insp.items["M1"]
    svc.visit_check(actor=user, visit=visit, item=item, point=0, outcome="ok")
    svc.visit_check(actor=user, visit=visit, item=item, point=0, outcome="problem", note="台账缺失")
    check = VisitCheck.objects.get(visit=visit)
    assert (check.outcome, check.note) == ("problem", "台账缺失")
    assert events("inspections.visit.check") == 2
    for kwargs, field in (
        ({"item": insp.items["S1"], "point": 0, "outcome": "ok"}, "item"),
        ({"item": item, "point": 5, "outcome": "ok"}, "point"),
        ({"item": item, "point": 1, "outcome": "bad"}, "outcome"),
    ):
        with pytest.raises(ServiceError) as e:
            svc.visit_check(actor=user, visit=visit, **kwargs)
        assert e.value.field == field and e.value.message
    assert events("inspections.visit.check") == 2


def test_check_needs_in_progress(insp):
    visit = make_visit(insp)
    with pytest.raises(ServiceError) as e:
        svc.visit_check(
            actor=insp.user("market-0"), visit=visit, item=insp.items["M1"], point=0, outcome="ok"
        )
    assert e.value.code == ErrorCode.INVALID_STATE


def test_finding_add_and_bad_text(insp):
    visit = started(insp)
    finding = svc.finding_add(
        actor=insp.user("market-0"), visit=visit, item=insp.items["M1"], text="未建立进货台账"
    )
    assert Finding.objects.get().pk == finding.pk and events("inspections.finding.add") == 1
    with pytest.raises(ServiceError) as e:
        svc.finding_add(actor=insp.user("market-0"), visit=visit, item=insp.items["M1"], text="短")
    assert e.value.field == "text"
    assert Finding.objects.count() == 1


def test_finding_to_clue_once(insp):
    from zhifa.inspections.models import Subject
    from zhifa.intake.models import ClueCategory, ClueSource

    category = ClueCategory.objects.create(code="insp-test", name="检查发现")
    # The test world's subjects have placeholder coordinates outside China: the township places the clue.
    Subject.objects.filter(pk=insp.subjects[0].pk).update(lng=None, lat=None)
    visit = started(insp)
    user = insp.user("market-0")
    finding = svc.finding_add(actor=user, visit=visit, item=insp.items["M1"], text="未建立进货台账")
    before = Event.objects.count()
    finding = svc.finding_to_clue(actor=user, finding=finding, category=category)
    finding.refresh_from_db()
    assert finding.clue.source == ClueSource.INSPECTION
    assert insp.subjects[0].name in finding.clue.text
    # Two objects change: clue_report records the clue's own event, plus our one to_clue event.
    assert events("inspections.finding.to_clue") == 1
    assert Event.objects.count() - before == 2
    with pytest.raises(ServiceError) as e:
        svc.finding_to_clue(actor=user, finding=finding, category=category)
    assert e.value.code == ErrorCode.DUPLICATE
    assert events("inspections.finding.to_clue") == 1


def test_finish_pass_and_publish_due(insp):
    from zhifa.core.calendar import add_working_days

    visit = started(insp)
    visit = svc.visit_finish(actor=insp.user("market-0"), visit=visit, result=VisitResult.PASS, version=2)
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE and visit.finished_at and visit.result == VisitResult.PASS
    assert visit.publish_due == add_working_days(timezone.localdate(), 20)
    assert events("inspections.visit.finish") == 1


def test_finish_bad_input(insp):
    visit = started(insp)
    user = insp.user("market-0")
    today = timezone.localdate()
    for kwargs, field in (
        ({"result": "nope"}, "result"),
        ({"result": VisitResult.RECTIFY, "rectify_by": today}, "rectify_by"),
        ({"result": VisitResult.RECTIFY}, "rectify_by"),
        ({"result": VisitResult.CASE}, "result"),
    ):
        with pytest.raises(ServiceError) as e:
            svc.visit_finish(actor=user, visit=visit, version=2, **kwargs)
        assert e.value.field == field
    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS and events("inspections.visit.finish") == 0
    visit = svc.visit_finish(
        actor=user,
        visit=visit,
        result=VisitResult.RECTIFY,
        rectify_by=today + datetime.timedelta(days=5),
        version=2,
    )
    assert visit.rectify_by == today + datetime.timedelta(days=5)


def test_rate_public(insp):
    visit = started(insp)
    visit = svc.visit_finish(actor=insp.user("market-0"), visit=visit, result=VisitResult.PASS, version=2)
    with pytest.raises(ServiceError) as e:
        svc.visit_rate_public(code="NOPE", rating=5)
    assert e.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(ServiceError) as e:
        svc.visit_rate_public(code=visit.code, rating=6)
    assert e.value.field == "rating"
    svc.visit_rate_public(code=visit.code, rating=4, comment="态度好")
    visit.refresh_from_db()
    assert (visit.rating, visit.rating_comment) == (4, "态度好") and visit.rated_at
    assert events("inspections.visit.rate") == 1
    with pytest.raises(ServiceError) as e:
        svc.visit_rate_public(code=visit.code, rating=5)
    assert e.value.code == ErrorCode.DUPLICATE


def test_repeat_warnings(insp):
    visit = make_visit(insp, "market")
    near = make_visit(insp, "safety", days=10)
    make_visit(insp, "safety", days=40)
    other = make_visit(insp, "market", days=5)  # same agency as `visit`: no warning between them
    assert repeat_visit_warnings(visit) == [near]
    assert {v.pk for v in repeat_visit_warnings(near)} == {visit.pk, other.pk}
