"""Statistics per period and region (issue 7 point 7) and the inspections overview page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.inspections.models import Finding, JointPlan, PlanState, Visit, VisitResult, VisitState
from zhifa.inspections.selectors.statistics import period_statistics
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = (datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))


def visit(insp, subject: int, items=("M1", "M2"), day=None, plan=None) -> Visit:
    with transaction.atomic():
        return create_visit(
            actor=None,
            subject_id=insp.subjects[subject].pk,
            agency=insp.agencies["market"],
            items=[insp.items[c] for c in items],
            planned_on=day or TODAY,
            plan_id=plan.pk if plan else None,
            team=[TeamMember(p, insp.agencies["market"]) for p in insp.officers["market"]],
        )


def finish(v: Visit, result: str) -> None:
    """Test scaffolding: mark a visit done (the visit services are tested elsewhere)."""
    Visit.objects.filter(pk=v.pk).update(state=VisitState.DONE, result=result)


def confirmed_plan(insp, visits: int, baseline: int) -> JointPlan:
    return JointPlan.objects.create(
        title="计划",
        region=insp.county.county,
        period_start=YEAR[0],
        period_end=YEAR[1],
        state=PlanState.CONFIRMED,
        summary={"visits": visits, "lower_bound": visits, "baseline_visits": baseline},
    )


def test_counts_of_a_period(insp):
    admin = insp.county.user(RoleCode.ADMIN, "county")
    plan = confirmed_plan(insp, 3, 10)
    JointPlan.objects.create(  # a draft plan does not count
        title="草稿",
        region=insp.county.county,
        period_start=YEAR[0],
        period_end=YEAR[1],
        summary={"visits": 1, "baseline_visits": 100},
    )
    a = visit(insp, 0, plan=plan)
    b = visit(insp, 0, items=("S1",))
    c = visit(insp, 1)
    cancelled = visit(insp, 2)
    visit(insp, 3, day=datetime.date(TODAY.year - 1, 6, 1))  # outside the period
    finish(a, VisitResult.PASS)
    finish(b, VisitResult.RECTIFY)
    finish(c, VisitResult.CASE)
    Visit.objects.filter(pk=cancelled.pk).update(state=VisitState.CANCELLED)
    Finding.objects.create(visit=c, item=insp.items["M1"], text="未公示价格标签")
    stats = period_statistics(admin, insp.county.county, *YEAR)
    assert stats.visits_planned == 3 and stats.visits_done == 3 and stats.visits_cancelled == 1
    assert stats.visits_from_plans == 1
    assert stats.subjects_visited == 2  # subject 0 twice counts once
    assert stats.items_checked == 2 + 1 + 2
    assert stats.findings == 1 and stats.findings_to_clue == 0
    assert {v: n for v, _label, n in stats.results} == {"pass": 1, "rectify": 1, "case": 1}
    assert stats.plans == 1 and stats.plan_visits == 3 and stats.plan_baseline == 10
    assert stats.reduction_pct == 70.0 and stats.saved_visits == 7
    assert {v: n for v, _label, n in stats.draws}["drawn"] == 0
    # A township narrows the visits to its subjects (subject 0 and 1 are in the first township).
    west = period_statistics(admin, insp.county.townships[1], *YEAR)
    assert west.visits_planned == 0 and west.plans == 0


def test_figures_follow_data_scoping(insp, other_insp):
    visit(insp, 0)
    other = visit(other_insp, 0)
    finish(other, VisitResult.PASS)
    own = period_statistics(insp.county.user(RoleCode.ADMIN, "county"), insp.county.county, *YEAR)
    assert own.visits_planned == 1 and own.visits_done == 0
    # Another county's admin asking about this county sees nothing of it.
    foreign = period_statistics(other_insp.county.user(RoleCode.ADMIN, "county"), insp.county.county, *YEAR)
    assert foreign.visits_planned == 0
    # A township officer of the other township does not see the first township's visit.
    west = period_statistics(insp.county.user(RoleCode.OFFICER, "t1"), insp.county.county, *YEAR)
    assert west.visits_planned == 0


def test_home_page_shows_the_statistics(client, insp, other_insp):
    visit(insp, 0)
    client.force_login(insp.county.user(RoleCode.ADMIN, "county"))
    response = client.get("/inspections/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stat-planned">1<' in html
    assert "/inspections/plans/" in html and "/inspections/draws/" in html
    # Another county's region code is not offered and falls back to the user's county.
    response = client.get(f"/inspections/?region={other_insp.county.county.adcode}")
    assert 'data-testid="stat-planned">1<' in response.content.decode()
    response = client.get("/inspections/?start=2026-12-01&end=2026-01-01")
    assert "统计期间止不能早于期间起" in response.content.decode()
    client.force_login(insp.county.user(RoleCode.GRID_WORKER, "t0"))
    assert client.get("/inspections/").status_code == 403


def test_home_queries_do_not_grow_with_visits(client, insp):
    client.force_login(insp.county.user(RoleCode.ADMIN, "county"))
    counts = []
    for n in (2, 10):
        Visit.objects.all().delete()
        for i in range(n):
            finish(visit(insp, i % len(insp.subjects)), VisitResult.PASS)
        confirmed_plan(insp, 1, 3)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/inspections/")
        assert f'data-testid="stat-done">{n}<' in response.content.decode()
        counts.append(len(ctx))
    assert counts[0] == counts[1]
