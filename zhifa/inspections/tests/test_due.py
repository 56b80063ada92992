"""Which items are due for which subject (inspections.due): applicability, rules, reproducible sample."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.inspections import due
from zhifa.inspections.models import FrequencyMode, FrequencyRule, InspectionItem, RiskLevel, Subject
from zhifa.inspections.testing import uscc_for

# --- pure functions -----------------------------------------------------------------------------


def test_sample_fraction_is_reproducible_and_depends_on_each_input():
    a = due.sample_fraction("seed", "M1", "91350102MA0000001X")
    assert a == due.sample_fraction("seed", "M1", "91350102MA0000001X")
    assert Decimal(0) <= a < Decimal(1)
    assert a != due.sample_fraction("seed2", "M1", "91350102MA0000001X")
    assert a != due.sample_fraction("seed", "M2", "91350102MA0000001X")
    assert a != due.sample_fraction("seed", "M1", "91350102MA0000002X")


def test_sampled_share_follows_the_ratio():
    usccs = [uscc_for(n) for n in range(3000)]
    share = sum(due.is_sampled("s", "M1", u, Decimal("0.3")) for u in usccs) / len(usccs)
    assert 0.27 < share < 0.33
    assert all(due.is_sampled("s", "M1", u, Decimal("1")) for u in usccs[:50])
    assert not any(due.is_sampled("s", "M1", u, Decimal("0")) for u in usccs[:50])


def test_rules_every_sample_none_and_floor():
    every = due.RuleView(FrequencyMode.EVERY, Decimal("0.01"))
    assert due.is_due(every, seed="s", item_code="X", uscc="U")
    assert not due.is_due(None, seed="s", item_code="X", uscc="U")  # no rule: nothing asked, nothing due
    # A ratio under the floor is lifted to the floor (issue 7: never below the floor).
    lifted = due.RuleView(FrequencyMode.SAMPLE, Decimal("0"), Decimal("1"))
    assert lifted.effective_ratio == Decimal("1")
    assert due.is_due(lifted, seed="s", item_code="X", uscc="U")


def _item(code: str, industries: set[int], rules: dict) -> due.ItemView:
    return due.ItemView(
        id=hash(code) % 1000, code=code, department_id=1, industry_ids=frozenset(industries), rules=rules
    )


class _S:
    def __init__(self, pk, uscc, industry_id, risk_level="B", is_active=True):
        self.pk, self.uscc, self.industry_id, self.risk_level, self.is_active = (
            pk,
            uscc,
            industry_id,
            risk_level,
            is_active,
        )


def test_sample_of_one_subject_does_not_depend_on_the_others():
    rule = {"B": due.RuleView(FrequencyMode.SAMPLE, Decimal("0.5"))}
    items = [_item("I1", {1}, rule), _item("I2", {1}, rule)]
    subjects = [_S(n, uscc_for(n), 1) for n in range(200)]
    everyone = due.due_map(subjects, items, "seed")
    alone = due.due_map(list(reversed(subjects[50:60])), items, "seed")
    assert alone == {k: v for k, v in everyone.items() if 50 <= k < 60}
    assert due.due_map(subjects, items, "another seed") != everyone
    # The two items are sampled independently: some subjects have one and not the other.
    assert any(len(v) == 1 for v in everyone.values())


def test_inactive_subject_and_other_industry_have_nothing_due():
    items = [_item("I1", {1}, {"A": due.RuleView(FrequencyMode.EVERY, Decimal(1))})]
    assert due.due_items(_S(1, "U1", 1, "A"), items, "s") == items
    assert due.due_items(_S(2, "U2", 2, "A"), items, "s") == []
    assert due.due_items(_S(3, "U3", 1, "A", is_active=False), items, "s") == []
    assert due.due_items(_S(4, "U4", 1, "D"), items, "s") == []  # no rule for D


# --- on the database ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_world_items_due_by_industry_and_risk(insp):
    items = due.load_items(InspectionItem.objects.all())
    by_name = {s.name: s for s in insp.subjects}
    code = {i.id: i.code[-2:] for i in items}
    restaurant = due.due_items(by_name["东湖饭店"], items, "seed")  # catering, risk A: every item
    assert sorted(code[i.id] for i in restaurant) == ["M1", "M2", "S1", "U1"]
    hotel = due.due_items(by_name["东湖宾馆"], items, "seed")  # lodging, risk A
    assert sorted(code[i.id] for i in hotel) == ["M2", "S1", "S2"]


@pytest.mark.django_db
def test_inactive_item_and_missing_rule_are_not_due(insp):
    insp.items["U1"].is_active = False
    insp.items["U1"].save(update_fields=["is_active"])
    FrequencyRule.objects.filter(item=insp.items["M1"], risk_level=RiskLevel.A).delete()
    items = due.load_items(InspectionItem.objects.all())
    assert insp.items["U1"].pk not in {i.id for i in items}
    restaurant = Subject.objects.get(name="东湖饭店")
    assert {i.id for i in due.due_items(restaurant, items, "seed")} == {
        insp.items["M2"].pk,
        insp.items["S1"].pk,
    }


@pytest.mark.django_db
def test_sampled_items_are_reproducible_from_the_seed(insp):
    items = due.load_items(InspectionItem.objects.all())
    subjects = list(Subject.objects.order_by("uscc"))
    first = due.due_map(subjects, items, "plan-seed")
    assert first == due.due_map(subjects, items, "plan-seed")
    # Every risk-A subject is in the map (EVERY); the sample of B/C/D follows the hash.
    for subject in subjects:
        if subject.risk_level == RiskLevel.A:
            assert subject.pk in first
        for item in first.get(subject.pk, []):
            rule = item.rules[subject.risk_level]
            assert (
                rule.mode == FrequencyMode.EVERY
                or due.sample_fraction("plan-seed", item.code, subject.uscc) < rule.effective_ratio
            )
