"""Joint plans on the database: create (solve), confirm (visits and teams), cancel, authorization, pages."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.core.calendar import is_working_day
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.inspections.models import (
    InspectorConflict,
    JointPlan,
    PlanState,
    RiskLevel,
    Subject,
    Visit,
    VisitState,
)
from zhifa.inspections.policies import can_plan
from zhifa.inspections.services.plans import plan_cancel, plan_confirm, plan_create
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.org.enforcement import certificate_valid_on
from zhifa.org.models import Certificate, RoleCode

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START, END = TODAY, TODAY + datetime.timedelta(days=60)


def catering_only(insp) -> None:
    """Keep only the catering subjects: all their items lie in the one catering scenario."""
    Subject.objects.exclude(industry=insp.industries["catering"]).update(is_active=False)


def admin(insp):
    return insp.county.user(RoleCode.ADMIN, "county")


def make_plan(insp, actor=None, region=None, **kwargs) -> JointPlan:
    return plan_create(
        actor=actor or admin(insp),
        title="2026年餐饮综合查一次",
        region=region or insp.county.county,
        period_start=kwargs.pop("period_start", START),
        period_end=kwargs.pop("period_end", END),
        capacities=kwargs.pop("capacities", {}),
        seed=kwargs.pop("seed", "test-seed"),
    )


def events(action: str) -> int:
    return Event.objects.filter(action=action).count()


# --- create ---------------------------------------------------------------------------------------


def test_catering_plan_reaches_the_lower_bound_and_beats_the_baseline(insp):
    catering_only(insp)
    plan = make_plan(insp)
    s = plan.summary
    assert plan.state == PlanState.DRAFT and plan.seed == "test-seed"
    assert s["visits"] == s["lower_bound"] >= 2  # the two risk-A restaurants at least
    assert s["visits"] < s["baseline_visits"]
    assert s["reduction"] == round(1 - s["visits"] / s["baseline_visits"], 4)
    assert s["status"] == "optimal"
    for row in s["proposed"]:
        assert row["scenario"] == insp.scenario.pk
        assert row["team"] == max(2, len(row["departments"]))  # APL Art. 42: never fewer than two
    assert {u["name"] for u in s["usage"]} >= {"测试县应急管理局", "测试县城市管理局"}
    assert events("inspections.plan.create") == 1


def test_whole_county_plan_uses_department_visits_for_items_outside_scenarios(insp):
    plan = make_plan(insp)
    s = plan.summary
    assert s["visits"] >= s["lower_bound"]
    assert any(row["scenario"] is None for row in s["proposed"])  # the hotel's fire-exit check (S2)
    assert all(row["team"] >= 2 for row in s["proposed"])  # APL Art. 42


def test_capacity_shortage_is_reported_per_department(insp):
    catering_only(insp)
    safety = insp.departments["safety"]
    plan = make_plan(insp, capacities={safety.pk: 0, insp.departments["market"].pk: ""})
    s = plan.summary
    assert s["status"] == "infeasible"
    assert s["shortages"] == {
        "测试县应急管理局": next(u["used"] for u in s["usage"] if u["department"] == safety.pk)
    }
    assert plan.capacities == {str(safety.pk): 0.0}  # blank means not limited


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"period_end": START - datetime.timedelta(days=1)}, "period_end"),
        ({"period_end": START + datetime.timedelta(days=400)}, "period_end"),
        ({"capacities": {"999999": 3}}, "capacities"),
    ],
)
def test_bad_input_is_refused_on_its_field(insp, kwargs, field):
    with pytest.raises(ServiceError) as exc:
        make_plan(insp, **kwargs)
    assert exc.value.field == field
    assert not JointPlan.objects.exists()


def test_negative_capacity_names_the_department(insp):
    market = insp.departments["market"]
    with pytest.raises(ServiceError) as exc:
        make_plan(insp, capacities={market.pk: -1})
    assert exc.value.field == f"capacity_{market.pk}" and "市场监督管理局" in exc.value.message


def test_region_without_due_items_is_refused(insp):
    Subject.objects.update(is_active=False)
    with pytest.raises(ServiceError) as exc:
        make_plan(insp)
    assert exc.value.field == "region"


# --- confirm --------------------------------------------------------------------------------------


def test_confirm_creates_visits_with_certified_unconflicted_teams(insp):
    catering_only(insp)
    restaurant = Subject.objects.get(name="东湖饭店")
    recused = insp.officers["market"][0]
    InspectorConflict.objects.create(person=recused, subject=restaurant, reason="亲属经营")
    plan = make_plan(insp)
    plan = plan_confirm(actor=admin(insp), plan=plan, version=plan.version)
    assert plan.state == PlanState.CONFIRMED and plan.version == 2
    visits = list(Visit.objects.filter(plan=plan).prefetch_related("items", "inspectors__person"))
    assert len(visits) == plan.summary["visits"]
    conflicts = set(InspectorConflict.objects.values_list("person_id", "subject_id"))
    for visit in visits:
        assert visit.scenario_id == insp.scenario.pk
        assert START <= visit.planned_on <= END and is_working_day(visit.planned_on)
        team = list(visit.inspectors.all())
        assert len(team) >= 2 and len({m.person_id for m in team}) == len(team)  # APL Art. 42
        assert not any((m.person_id, visit.subject_id) in conflicts for m in team)  # APL Art. 43
        for item in visit.items.all():
            holders = [m for m in team if m.agency.department_id == item.department_id]
            assert holders, item
            for member in holders:
                cert = Certificate.objects.get(number=member.certificate_number)
                assert cert.holder_id == member.person_id
                assert item.domain_id in set(cert.domains.values_list("pk", flat=True))
                assert certificate_valid_on(cert, visit.planned_on)
    assert events("inspections.plan.confirm") == 1


def test_load_is_balanced_between_officers(insp):
    catering_only(insp)
    plan = make_plan(insp)
    plan_confirm(actor=admin(insp), plan=plan, version=plan.version)
    counts = [Visit.objects.filter(plan=plan, inspectors__person=p).count() for p in insp.officers["safety"]]
    assert abs(counts[0] - counts[1]) <= 1


def test_stale_version_and_second_confirm_are_refused(insp):
    catering_only(insp)
    plan = make_plan(insp)
    stale = plan.version
    plan_confirm(actor=admin(insp), plan=plan, version=stale)
    with pytest.raises(ServiceError) as exc:
        plan_confirm(actor=admin(insp), plan=JointPlan.objects.get(pk=plan.pk), version=stale)
    assert exc.value.code == ErrorCode.INVALID_STATE
    other = make_plan(insp)
    with pytest.raises(ServiceError) as exc:
        plan_confirm(actor=admin(insp), plan=other, version=other.version + 1)
    assert exc.value.code == ErrorCode.CONFLICT
    assert not Visit.objects.filter(plan=other).exists()


def test_no_team_refuses_naming_the_department_and_changes_nothing(insp):
    catering_only(insp)
    restaurant = Subject.objects.get(name="东湖饭店")
    for person in insp.officers["market"]:
        InspectorConflict.objects.create(person=person, subject=restaurant, reason="回避")
    plan = make_plan(insp)
    with pytest.raises(ServiceError) as exc:
        plan_confirm(actor=admin(insp), plan=plan, version=plan.version)
    assert "测试县市场监督管理局" in exc.value.message and "东湖饭店" in exc.value.message
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and not Visit.objects.exists()
    assert events("inspections.plan.confirm") == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda insp: Subject.objects.filter(name="东湖饭店").update(is_active=False),
        lambda insp: Subject.objects.filter(name="东湖面馆").update(risk_level=RiskLevel.A),
        lambda insp: insp.scenario.items.remove(insp.items["U1"]),
    ],
    ids=["subject-closed", "risk-raised", "scenario-changed"],
)
def test_confirm_refuses_a_plan_whose_inputs_changed(insp, change):
    catering_only(insp)
    plan = make_plan(insp)
    change(insp)
    with pytest.raises(ServiceError) as exc:
        plan_confirm(actor=admin(insp), plan=plan, version=plan.version)
    assert exc.value.code == ErrorCode.INVALID_STATE and exc.value.field == "plan"
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and not Visit.objects.exists()
    assert events("inspections.plan.confirm") == 0


def test_expired_certificates_are_never_used(insp):
    catering_only(insp)
    yesterday = TODAY - datetime.timedelta(days=1)
    Certificate.objects.filter(holder__in=insp.officers["safety"]).update(
        valid_from=yesterday - datetime.timedelta(days=30), valid_to=yesterday
    )
    plan = make_plan(insp)
    with pytest.raises(ServiceError) as exc:
        plan_confirm(actor=admin(insp), plan=plan, version=plan.version)
    assert "测试县应急管理局" in exc.value.message


def test_cancel_confirmed_plan_cancels_its_planned_visits(insp):
    catering_only(insp)
    plan = make_plan(insp)
    plan = plan_confirm(actor=admin(insp), plan=plan, version=plan.version)
    with pytest.raises(ServiceError) as exc:
        plan_cancel(actor=admin(insp), plan=plan, version=1)
    assert exc.value.code == ErrorCode.CONFLICT
    plan = plan_cancel(actor=admin(insp), plan=plan, version=plan.version)
    assert plan.state == PlanState.CANCELLED
    assert set(Visit.objects.filter(plan=plan).values_list("state", flat=True)) == {VisitState.CANCELLED}
    assert events("inspections.plan.cancel") == 1
    with pytest.raises(ServiceError) as exc:
        plan_cancel(actor=admin(insp), plan=plan, version=plan.version)
    assert exc.value.code == ErrorCode.INVALID_STATE


# --- authorization: role x object x action ----------------------------------------------------------

ROLES = [
    ((RoleCode.ADMIN, "county"), True, True),
    ((RoleCode.JUSTICE_BUREAU, "county"), True, True),
    ((RoleCode.ZONE_LEADER, "county"), False, True),  # the zone holds t0 only
    ((RoleCode.ADMIN, "t0"), False, True),
    ((RoleCode.TEAM_LEADER, "t0"), False, False),
    ((RoleCode.OFFICER, "t0"), False, False),
    ((RoleCode.DISPATCHER, "county"), False, False),
]


@pytest.mark.parametrize(("who", "county_ok", "township_ok"), ROLES)
def test_who_may_create_plans(insp, who, county_ok, township_ok):
    user = insp.county.user(*who)
    for region, ok in ((insp.county.county, county_ok), (insp.county.townships[0], township_ok)):
        if ok:
            assert make_plan(insp, actor=user, region=region).pk
        else:
            with pytest.raises(ServiceError) as exc:
                make_plan(insp, actor=user, region=region)
            assert exc.value.code == ErrorCode.NOT_ALLOWED


@pytest.mark.parametrize("action", [plan_confirm, plan_cancel])
def test_other_county_and_township_staff_may_not_confirm_or_cancel(insp, other_insp, action):
    plan = make_plan(insp)
    for user in (
        other_insp.county.user(RoleCode.ADMIN, "county"),
        insp.county.user(RoleCode.TEAM_LEADER, "t0"),
    ):
        with pytest.raises(ServiceError) as exc:
            action(actor=user, plan=plan, version=plan.version)
        assert exc.value.code == ErrorCode.NOT_ALLOWED
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_pages_authorization(client, insp, other_insp):
    plan = make_plan(insp)
    foreign = make_plan(other_insp)
    client.force_login(admin(insp))
    assert client.get("/inspections/plans/").status_code == 200
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/inspections/plans/{foreign.pk}/").status_code == 404  # another county by id
    assert client.post(f"/inspections/plans/{foreign.pk}/confirm/", {"version": 1}).status_code == 404
    client.force_login(insp.county.user(RoleCode.OFFICER, "t0"))
    assert client.get("/inspections/plans/new/").status_code == 403
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404  # county plan outside t0
    client.force_login(insp.county.user(RoleCode.GRID_WORKER, "t0"))
    assert client.get("/inspections/plans/").status_code == 403
    # A zone leader is offered the townships of the zone only: a county plan would be outside what
    # the zone leader may read (JointPlan is scoped by region).
    client.force_login(insp.county.user(RoleCode.ZONE_LEADER, "county"))
    html = client.get("/inspections/plans/new/").content.decode()
    assert f'value="{insp.county.townships[0].adcode}"' in html
    assert f'value="{insp.county.county.adcode}"' not in html
    # The justice bureau sees the plan but a team leader of the township may not confirm one there.
    township_plan = make_plan(insp, region=insp.county.townships[0])
    client.force_login(insp.county.user(RoleCode.TEAM_LEADER, "t0"))
    assert client.get(f"/inspections/plans/{township_plan.pk}/").status_code == 200
    response = client.post(f"/inspections/plans/{township_plan.pk}/confirm/", {"version": 1})
    assert response.status_code == 403
    township_plan.refresh_from_db()
    assert township_plan.state == PlanState.DRAFT


def test_create_page_posts_to_the_service(client, insp):
    catering_only(insp)
    client.force_login(admin(insp))
    page = client.get("/inspections/plans/new/")
    assert page.status_code == 200 and "capacity_" in page.content.decode()
    data = {
        "title": "页面计划",
        "region": insp.county.county.adcode,
        "period_start": START.isoformat(),
        "period_end": (START - datetime.timedelta(days=1)).isoformat(),
    }
    response = client.post("/inspections/plans/new/", data)
    assert response.status_code == 200 and "期间止不能早于期间起" in response.content.decode()
    data["period_end"] = END.isoformat()
    data[f"capacity_{insp.departments['market'].pk}"] = "10"
    response = client.post("/inspections/plans/new/", data)
    plan = JointPlan.objects.get(title="页面计划")
    assert response.status_code == 302 and response["Location"] == f"/inspections/plans/{plan.pk}/"
    assert plan.capacities == {str(insp.departments["market"].pk): 10.0}


# --- query counts -----------------------------------------------------------------------------------


def _synthetic_plan(insp, rows: int, confirmed: bool) -> JointPlan:
    subjects = list(Subject.objects.order_by("pk"))
    items = [insp.items[c].pk for c in ("M1", "S1", "U1")]
    depts = sorted({insp.items[c].department_id for c in ("M1", "S1", "U1")})
    proposed = [
        {
            "subject": subjects[n % len(subjects)].pk,
            "scenario": insp.scenario.pk,
            "departments": depts,
            "items": items,
            "team": 3,
        }
        for n in range(rows)
    ]
    plan = JointPlan.objects.create(
        title=f"计划{rows}",
        region=insp.county.county,
        period_start=START,
        period_end=END,
        summary={
            "visits": rows,
            "lower_bound": rows,
            "baseline_visits": 3 * rows,
            "reduction": 0.6667,
            "usage": [
                {"department": d, "name": "部门", "used": 1.0, "capacity": 2.0, "short": 0} for d in depts
            ],
            "proposed": proposed,
        },
        state=PlanState.CONFIRMED if confirmed else PlanState.DRAFT,
    )
    if confirmed:
        with transaction.atomic():
            for row in proposed:
                create_visit(
                    actor=None,
                    subject_id=row["subject"],
                    agency=insp.agencies["market"],
                    items=items,
                    planned_on=START,
                    plan_id=plan.pk,
                    scenario_id=insp.scenario.pk,
                    team=[TeamMember(p, insp.agencies["market"]) for p in insp.officers["market"]],
                )
    return plan


@pytest.mark.parametrize("confirmed", [False, True])
def test_plan_detail_queries_do_not_grow_with_rows(client, insp, confirmed):
    client.force_login(admin(insp))
    counts = []
    for rows in (2, 10):
        plan = _synthetic_plan(insp, rows, confirmed)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/inspections/plans/{plan.pk}/")
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="team-size"') == rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_plan_list_queries_do_not_grow_with_rows(client, insp):
    client.force_login(admin(insp))
    counts = []
    for rows in (2, 10):
        JointPlan.objects.all().delete()
        for _n in range(rows):
            _synthetic_plan(insp, 1, False)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/inspections/plans/")
        assert response.content.decode().count("data-plan=") == rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_zone_leader_plans_for_the_townships_of_the_zone(insp):
    leader = insp.county.users[(RoleCode.ZONE_LEADER, "county")]
    assert can_plan(leader, insp.county.townships[0])  # the zone's township
    assert not can_plan(leader, insp.county.townships[1])
    assert not can_plan(leader, insp.county.county)
    assert can_plan(insp.county.users[(RoleCode.ADMIN, "county")], insp.county.county)
