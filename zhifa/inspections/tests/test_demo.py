"""The inspections demo of `load_demo` (zhifa/inspections/demo.py): the catalogue made through the
services (one event per write), subjects, the market bureau's draw, the county's joint plan confirmed,
visits in every state; idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from zhifa.core.models import Event
from zhifa.core.verify import verify_chain
from zhifa.inspections.demo import load_inspection_demo
from zhifa.inspections.models import (
    InspectionItem,
    JointPlan,
    PlanState,
    Scenario,
    Subject,
    Visit,
    VisitState,
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


def test_demo_inspections_are_made_by_the_services_and_a_second_load_changes_nothing(demo_county):
    result = load_inspection_demo(demo_county)
    assert result.created
    items = InspectionItem.objects.filter(department__region=demo_county)
    assert items.count() == result.counts["items"] == 16
    # Each item is linked to an inspection power or to the penalty items it checks (issue 7, point 2).
    assert all(item.power_item_id or item.checks.exists() for item in items)
    assert all(item.frequency_rules.count() == 4 for item in items)
    assert Scenario.objects.filter(county=demo_county).count() == result.counts["scenarios"] == 6
    # Every catalogue write went through a service and left its event.
    actions = Counter(Event.objects.values_list("action", flat=True))
    assert actions["inspections.item.create"] == 16, actions
    assert actions["inspections.scenario.create"] == 6, actions
    # The joint plan is confirmed and its visits are planned for joint teams of two or more (APL Art. 42).
    plan = JointPlan.objects.get(region=demo_county)
    assert plan.state == PlanState.CONFIRMED
    plan_visits = Visit.objects.filter(plan=plan)
    assert plan_visits.exists()
    assert all(v.inspectors.count() >= 2 for v in plan_visits.prefetch_related("inspectors"))
    # The plan's visit count equals the subjects with due items (the lower bound).
    assert plan.summary["visits"] == plan_visits.count() == plan.summary["lower_bound"]
    states = set(Visit.objects.filter(subject__in=Subject.objects.all()).values_list("state", flat=True))
    assert {VisitState.PLANNED, VisitState.DONE} <= states, states
    assert verify_chain().ok
    events = Event.objects.count()
    assert not load_inspection_demo(demo_county).created
    assert Event.objects.count() == events
