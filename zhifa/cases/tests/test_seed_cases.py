"""The seeds' own cases end to end through the services (issue 5 point 9), in the demo county.

Each story of zhifa.cases.scenarios is taken from its source to its end by the real services and the
engine, and the test checks what the law asks of the result: the end state and outcome, the numbered
documents, the case file complete for the way the case ended (zhifa.cases.casefile), every transition in
the timeline and the record, and the record chain intact (APL Art. 47). Some stories are also stopped
half-way to check that a guard holds there (APL Art. 44-45, 62; Art. 58).

The demo county (org and powers demo) is loaded once for the module inside a transaction that is rolled
back at the end; each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime
import re
import time
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhifa.cases.casefile import casefile_problems
from zhifa.cases.demo import load_cases_demo
from zhifa.cases.models import (
    OPEN_STATES,
    Case,
    CaseState,
    DocType,
    EvidenceKind,
    Outcome,
    PaymentChannel,
    ReviewStatus,
    ReviewTier,
    StatementKind,
)
from zhifa.cases.scenarios import prepare, run_story
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.core.verify import verify_chain
from zhifa.intake.demo import load_intake_demo
from zhifa.org.generate.demo import DEMO_ADCODE
from zhifa.org.models import Region
from zhifa.org.scoping import visible
from zhifa.powers.resolver import competent_agency

NUMBER = re.compile(r"〔\d{4}〕第\d+号")


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    from zhifa.org.generate.demo import load_demo
    from zhifa.powers.demo import load_power_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        county = Region.objects.get(adcode=DEMO_ADCODE)
        load_power_demo(county)
        yield county
        transaction.set_rollback(True)


@pytest.fixture
def county(demo_county, db, media):
    return demo_county


def numbers(case, doc_type: str) -> list[str]:
    return list(case.documents.filter(doc_type=doc_type).values_list("number", flat=True))


def assert_recorded(case, transitions: list[str]) -> None:
    """Every transition is a step of the case and an event of the record; the chain verifies."""
    steps = list(case.steps.values_list("action", flat=True))
    for name in transitions:
        assert name in steps, (name, steps)
    actions = set(Event.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {a for a in actions if a.startswith("case.")} >= {"case.open", "case.party_add"}
    result = verify_chain()
    assert result.ok, result.message


def test_longcheng_penalty_from_inspection_to_archive(county):
    """Seed 000: the fire-safety power granted to the town; fine decided in range after notice,
    statement, township review; paid at the bank; closed and archived with the file complete."""
    run = run_story("longcheng", county)
    case = run.case
    assert case.state == CaseState.ARCHIVED and case.outcome == Outcome.PENALTY
    # Competence by the resolver (APL Art. 24): the township's own agency.
    assert competent_agency(case.item, case.region, case.filed_on).agency == case.agency
    assert case.item.code == "CF-XF-002" and case.agency.region == case.region
    party = case.parties.get()
    assert party.kind == "organisation" and party.id_type == "uscc" and len(party.id_number) == 18
    # The fine within the item's range, lowered after the statement was adopted (Art. 45: never heavier).
    assert case.intended_fine == Decimal("10000") and case.fine_amount == Decimal("8000")
    assert case.item.fine_min <= case.fine_amount <= case.item.fine_max
    assert case.statements.get(kind=StatementKind.STATEMENT).adopted is True
    review = case.reviews.get()
    assert review.status == ReviewStatus.PASSED and review.tier == ReviewTier.TOWNSHIP
    # Paid apart from the decision, through the bank's confirmation (Art. 67).
    payment = case.payments.get()
    assert payment.channel == PaymentChannel.BANK and case.paid_amount == Decimal("8000")
    for doc_type in (
        DocType.FILING_APPROVAL,
        DocType.NOTICE_OF_INTENDED_PENALTY,
        DocType.PENALTY_DECISION,
        DocType.CLOSING_APPROVAL,
    ):
        assert [n for n in numbers(case, doc_type) if NUMBER.search(n)], doc_type
    assert case.decision_number == numbers(case, DocType.PENALTY_DECISION)[0]
    kinds = set(case.evidence.values_list("kind", flat=True))
    assert {EvidenceKind.INSPECTION_RECORD, EvidenceKind.AUDIOVISUAL, EvidenceKind.PARTY_STATEMENT} <= kinds
    assert case.evidence.filter(kind=EvidenceKind.AUDIOVISUAL).exclude(sha256="").count() == 2
    assert case.services.filter(served_at__isnull=False).count() == 2  # notice and decision
    assert casefile_problems(case) == []
    assert case.data["archive"]["sha256"] and case.archived_on == run.days["archived"]
    assert_recorded(
        case,
        [
            "propose_filing",
            "approve_filing",
            "notify",
            "submit_review",
            "review_pass",
            "decide_penalty",
            "serve",
            "paid",
            "close",
            "archive",
        ],
    )


def test_longcheng_no_review_before_the_statement_period_ends(county):
    """APL Art. 44-45, 62: after the notice was served and the party spoke, the case may not go on to
    review (and so to a decision) until the statement period has run, unless the party waives it."""
    run, stages = prepare("longcheng", county, until="statement")
    for stage in stages:
        run.stage = stage.name
        stage.act(run)
    with pytest.raises(ValidationErrors) as refused:
        run.perform(run.cast.officer, "submit_review")
    assert any("陈述申辩期" in e.message for e in refused.value.errors)
    assert run.refresh().state == CaseState.NOTIFIED


def test_gaosha_rectification_after_the_joint_zone_inspection(county):
    """Seed 002: the zone's joint inspection; the rectification order rests on the inspection record,
    the on-site checklist, photos and the interview (APL Art. 28, 46); rectified, closed, archived."""
    run = run_story("gaosha", county)
    case = run.case
    assert case.state == CaseState.ARCHIVED and case.outcome == Outcome.RECTIFICATION
    assert case.item.code == "CF-AQ-006" and case.filed_on is None
    assert "第二片区" in case.source_note and case.region.zone_memberships.filter(name="第二片区").exists()
    kinds = list(case.evidence.values_list("kind", flat=True))
    for kind in (EvidenceKind.INSPECTION_RECORD, EvidenceKind.DOCUMENTARY, EvidenceKind.PARTY_STATEMENT):
        assert kind in kinds, kind
    assert kinds.count(EvidenceKind.AUDIOVISUAL) == 2
    assert NUMBER.search(numbers(case, DocType.RECTIFICATION_ORDER)[0])
    assert case.documents.filter(doc_type=DocType.PROOF_OF_SERVICE).exists()
    assert not case.documents.filter(doc_type=DocType.PENALTY_DECISION).exists()
    assert casefile_problems(case) == []
    assert_recorded(case, ["order_rectification", "confirm_rectified", "close", "archive"])


def test_xianxi_confiscation_of_banned_nets(county):
    """Seed 001: banned nets detained (ACL Art. 24-25), so the justice bureau's panel reviews and the
    heads discuss (seed 000; APL Art. 57 para 2); fine and confiscation of the nets (渔业法 §38)."""
    run = run_story("xianxi", county)
    case = run.case
    assert case.state == CaseState.CLOSED and case.outcome == Outcome.PENALTY
    assert "没收非法财物" in case.item.penalty_types and "没收非法财物" in case.penalty_types
    assert case.parties.get().kind == "person"
    review = case.reviews.get()
    assert review.tier == ReviewTier.PANEL and review.status == ReviewStatus.PASSED
    assert len(review.panel) == 3 and case.discussions.filter(agreed=True).count() == 1
    assert case.measures.get().lifted_on == case.decided_on
    assert case.statements.filter(kind=StatementKind.WAIVER).exists()
    assert case.paid_amount == case.fine_amount == Decimal("2000")
    assert numbers(case, DocType.DISCUSSION_MINUTES) and numbers(case, DocType.LEGAL_REVIEW_OPINION)
    assert casefile_problems(case) == []
    assert_recorded(
        case, ["submit_review", "review_pass", "discuss", "decide_penalty", "serve", "paid", "close"]
    )


def test_first_minor_violation_ends_without_penalty(county):
    """APL Art. 33 para 1 (首违不罚): no penalty proposed, reviewed in the township, decided, served,
    closed; no notice of an intended penalty, no fine."""
    run = run_story("first_minor", county)
    case = run.case
    assert case.state == CaseState.ARCHIVED and case.outcome == Outcome.NO_PENALTY
    assert case.fine_amount is None and not case.payment_notices.exists()
    assert not case.documents.filter(doc_type=DocType.NOTICE_OF_INTENDED_PENALTY).exists()
    assert NUMBER.search(numbers(case, DocType.NO_PENALTY_DECISION)[0])
    assert case.reviews.get().tier == ReviewTier.TOWNSHIP
    assert case.served_on == run.days["executed"]
    assert casefile_problems(case) == []
    assert_recorded(
        case, ["propose_no_penalty", "review_pass", "decide_no_penalty", "serve", "close", "archive"]
    )


def test_first_minor_violation_no_decision_before_review(county):
    """APL Art. 58: with the no-penalty proposal under review, the decision is not offered yet."""
    from zhifa.cases.engine import available_actions

    run = run_story("first_minor", county, until="review")
    case = run.case
    assert case.state == CaseState.REVIEW
    names = {o.name for o in available_actions(run.cast.leader, case)}
    assert "decide_no_penalty" not in names
    with pytest.raises(ServiceError) as refused:
        run.perform(run.cast.leader, "decide_no_penalty", reason="首违不罚")
    assert refused.value.code == ErrorCode.INVALID_STATE and "法制审核" in refused.value.message


def test_cases_demo_varied_states_valid_record_and_idempotent(county):
    """`load_demo`'s cases: the seed cases and the stories at each main stage, some from clues, some
    overdue, all made by the services (the record chain verifies); a second load writes nothing."""
    load_intake_demo(county)
    started = time.perf_counter()
    result = load_cases_demo(county)
    seconds = time.perf_counter() - started
    assert result.created, result
    cases = Case.objects.filter(region__adcode__startswith=county.prefix)
    assert 15 <= cases.count() <= 25 and result.counts["cases.case"] == cases.count()
    states = Counter(cases.values_list("state", flat=True))
    expected = {"source", "filing", "investigating", "notified", "review", "deciding", "decided", "executing"}
    assert expected | {"rectifying", "closed", "archived"} <= set(states), states
    today = timezone.localdate()
    overdue = cases.filter(state__in=OPEN_STATES, next_due_on__lt=today)
    assert overdue.count() >= 2, list(overdue.values_list("code", "next_due_key"))
    assert cases.filter(clue__isnull=False).count() >= 1
    # The demo logins of the first township see their cases; the timeline lies on the story's days.
    officer = get_user_model().objects.get(username="demo_officer")
    assert visible(Case.objects.all(), officer).count() >= 10
    for case in cases:
        times = list(case.steps.order_by("id").values_list("at", flat=True))
        assert times == sorted(times) and case.created_at <= times[0] + datetime.timedelta(seconds=1)
    assert verify_chain().ok
    events = Event.objects.count()
    assert not load_cases_demo(county).created
    assert Event.objects.count() == events and cases.count() == result.counts["cases.case"]
    print(
        f"cases demo: {cases.count()} cases, {result.counts['cases.casedocument']} documents, {seconds:.1f} s"
    )
