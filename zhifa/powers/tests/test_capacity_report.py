"""Capacity assessment report: the APL Art. 42 rule, seed 004's figures, exercise sources and the
bulk count of certified officers (checked against org.enforcement.can_enforce)."""

from __future__ import annotations

import datetime

import pytest

from zhifa.org.models import RoleCode
from zhifa.powers import exercise
from zhifa.powers.models import Judgement, SelfRating
from zhifa.powers.selectors import capacity as sel
from zhifa.powers.tests.grant_helpers import county_admin, leader
from zhifa.powers.tests.test_capacity_helpers import (
    PERIOD_END,
    PERIOD_START,
    TODAY,
    cases_from_claims,  # noqa: F401 (fixture)
    certify,
    claims_source,
    rate_all,
    report_for,
    row,
    start_round,
)

pytestmark = pytest.mark.django_db


# --- The rule -------------------------------------------------------------------------------------------


def test_apl_art_42_two_certified_officers_are_needed_whatever_the_rating():
    """APL Art. 42: at least two officers with enforcement qualification; one is not enough."""
    assert sel.MIN_CERTIFIED_OFFICERS == 2
    assert sel.judge(SelfRating.ABLE, 2) == (Judgement.CAN, [])
    assert sel.judge(SelfRating.MOSTLY, 5)[0] == Judgement.CAN
    judgement, reasons = sel.judge(SelfRating.ABLE, 1)
    assert judgement == Judgement.CANNOT and "第四十二条" in reasons[0]
    assert sel.judge(SelfRating.UNABLE, 9) == (Judgement.CANNOT, ["乡镇自评不能承接"])
    assert sel.judge("", 9) == (Judgement.CANNOT, ["乡镇未自评"])


def test_report_in_the_shape_of_seed_004(world):
    """Seed 004: "112项…能有效承接的35项…77项尚无力承接": an item counts only if every township can."""
    assessment = start_round(world)
    rate_all(world, assessment)
    report = report_for(county_admin(world.county), assessment)
    gx0, gx1, gx2 = world.items
    assert report.headline == "共赋予4项，能有效承接1项，尚无力承接3项"
    assert report.item_partial == 2  # GX000 (t0 only) and GXURB (t1 only)
    assert [(r.township, r.item, r.judgement) for r in report.rows] == [
        (world.t0, gx0, Judgement.CAN),
        (world.t0, gx1, Judgement.CAN),
        (world.t0, gx2, Judgement.CANNOT),
        (world.t0, world.urban, Judgement.CANNOT),
        (world.t1, gx0, Judgement.CANNOT),
        (world.t1, world.urban, Judgement.CAN),
    ]
    assert row(report, world.t0, world.urban).certified == 1
    assert row(report, world.t1, gx0).certified == 0
    assert row(report, world.t1, world.urban).certified == 2
    market = next(d for d in report.domains if d.label == "市场监管")
    assert (market.items, market.items_can, market.items_cannot, market.pairs, market.pairs_can) == (
        3,
        1,
        2,
        4,
        2,
    )
    township0 = dict((t.pk, tally) for t, tally in report.townships)[world.t0.pk]
    assert (township0.items, township0.items_can, township0.rated) == (4, 2, 4)


def test_without_any_exercise_everything_is_never_exercised(world):
    assessment = start_round(world)
    report = report_for(county_admin(world.county), assessment)
    # The cases and intake apps register their counters at start-up.
    assert [s.key for s in exercise.exercise_sources()] == [exercise.CASES, exercise.CLUES]
    assert len(report.never_exercised) == 4 and all(r.never_exercised for r in report.rows)
    assert report.sources == [(exercise.CASES, "案件数"), (exercise.CLUES, "线索数")]


@pytest.mark.usefixtures("cases_from_claims")
def test_registered_sources_are_summed_per_township_and_item(world):
    from zhifa.powers.services import claims

    gx0 = world.items[0]
    claimed_on = TODAY - datetime.timedelta(days=10)
    claims.claim_create(
        actor=leader(world.county),
        grant_list=world.grant_list,
        township=world.t0,
        item=gx0,
        claimed_on=claimed_on,
    )
    installed = next((s for s in exercise.exercise_sources() if s.key == exercise.CLUES), None)
    exercise.register_exercise_source(exercise.CLUES, "线索", claims_source)
    try:
        counts = exercise.exercise_counts([world.t0.pk, world.t1.pk], [gx0.pk], PERIOD_START, PERIOD_END)
        assert counts.per_source(world.t0.pk, gx0.pk) == {exercise.CASES: 1, exercise.CLUES: 1}
        assert counts.total(world.t0.pk, gx0.pk) == 2 and counts.total(world.t1.pk, gx0.pk) == 0
        # Outside the period nothing is counted.
        assert (
            exercise.exercise_counts([world.t0.pk], [gx0.pk], PERIOD_END, PERIOD_END).total(
                world.t0.pk, gx0.pk
            )
            == 0
        )
        report = report_for(county_admin(world.county), start_round(world))
    finally:
        exercise.unregister_exercise_source(exercise.CLUES)
        if installed is not None:  # the intake app's own counter, registered at start-up
            exercise.register_exercise_source(installed.key, installed.label, installed.fn)
    exercised = row(report, world.t0, gx0)
    assert exercised.exercise == {exercise.CASES: 1, exercise.CLUES: 1} and not exercised.never_exercised
    assert gx0 not in [i.item for i in report.never_exercised]
    assert len(report.never_exercised) == 3


# --- Certified officers in bulk --------------------------------------------------------------------------


def test_certified_officers_match_can_enforce_for_every_person(world):
    """The bulk count agrees with org.enforcement.can_enforce person by person (APL Art. 42)."""
    from zhifa.org.enforcement import can_enforce
    from zhifa.org.models import CertificateStatusChange, Person, PersonStatus, Secondment

    county = world.county
    market = county.domains["market"]
    # A department officer seconded into township 1 holds a market certificate.
    seconded = county.person(RoleCode.OFFICER, "dept")
    certify(seconded, market, "SEC1")
    Secondment.objects.create(
        person=seconded,
        from_agency=county.department_agency,
        to_agency=county.township_agencies[1],
        start_date=PERIOD_START,
    )
    # Township 1's reviewer: market certificate suspended before the date; township 0's admin: retired.
    reviewer = county.person(RoleCode.LEGAL_REVIEWER, "t1")
    suspended = certify(reviewer, market, "SUS1")
    CertificateStatusChange.objects.create(
        certificate=suspended, status="suspended", effective_date=PERIOD_END - datetime.timedelta(days=5)
    )
    retired = county.person(RoleCode.ADMIN, "t0")
    certify(retired, market, "RET1")
    Person.objects.filter(pk=retired.pk).update(
        status=PersonStatus.RETIRED, status_date=PERIOD_END - datetime.timedelta(days=3)
    )
    certify(
        county.person(RoleCode.ADMIN, "t1"), market, "OLD1", valid_to=PERIOD_END - datetime.timedelta(days=1)
    )

    found = sel.certified_officers(county.townships, PERIOD_END)
    for township in county.townships:
        people = Person.objects.filter(region=township) | Person.objects.filter(pk=seconded.pk)
        for domain in county.domains.values():
            expected = {
                p.pk
                for p in people
                if can_enforce(p, domain, PERIOD_END)
                and (p.region_id == township.pk or township == county.townships[1])
            }
            assert found.get((township.pk, domain.pk), set()) == expected, (township.name, domain.code)
    assert found[(world.t1.pk, market.pk)] == {seconded.pk}
    # Before the suspension the reviewer counted too; before retiring the admin did.
    earlier = sel.certified_officers(county.townships, PERIOD_END - datetime.timedelta(days=10))
    assert (
        reviewer.pk in earlier[(world.t1.pk, market.pk)] and retired.pk in earlier[(world.t0.pk, market.pk)]
    )


def test_secondment_counts_only_while_it_runs(world):
    from zhifa.org.models import Secondment

    county = world.county
    seconded = county.person(RoleCode.OFFICER, "dept")
    certify(seconded, county.domains["market"], "SEC2")
    Secondment.objects.create(
        person=seconded,
        from_agency=county.department_agency,
        to_agency=county.township_agencies[1],
        start_date=PERIOD_START,
        end_date=PERIOD_END - datetime.timedelta(days=1),
    )
    key = (world.t1.pk, county.domains["market"].pk)
    assert seconded.pk not in sel.certified_officers(county.townships, PERIOD_END).get(key, set())
    assert (
        seconded.pk in sel.certified_officers(county.townships, PERIOD_END - datetime.timedelta(days=1))[key]
    )
