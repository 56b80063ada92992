"""Builders for the publication-duty tests: decided cases of every kind the queue must tell apart, taken
there through the engine (zhifa.cases.engine.perform) in the test county's township t0, and cheap rows
written directly with the ORM for the query-count and authorization tests.

Only the legal review's answer and the notice's service are written directly (as in
zhifa.cases.tests.execution_factories): the transitions that decide still check them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import (
    Case,
    CaseSource,
    CaseState,
    DocType,
    IdType,
    LegalReview,
    Outcome,
    Party,
    PartyKind,
    Procedure,
    ReviewStatus,
    Service,
    ServiceMethod,
    Statement,
    StatementKind,
)
from zhifa.cases.tests.factories import CaseWorld, add_evidence, open_case, staff
from zhifa.core.models import Event
from zhifa.disclosure.models import Publication

OBJECT_TYPE = "disclosure.publication"
# A natural person whose identifiers the decision letter prints (name, ID number, phone, home address).
PERSON = {
    "name": "李建国",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "address": "东湖镇一村五组18号",
}
ORGANISATION = {
    "name": "东湖包装有限公司",
    "id_number": "91350102MA2XXXXX1X",
    "legal_representative": "王建军",
    "phone": "13800000000",
    "address": "东湖镇工业园1号",
}


def add_person(case: Case, *, birth_date: datetime.date | None = None, **over: Any) -> Party:
    values = {**PERSON, **over}
    return Party.objects.create(
        case=case,
        kind=PartyKind.PERSON,
        name=values["name"],
        id_type=IdType.RESIDENT_ID,
        id_number=values["id_number"],
        phone=values["phone"],
        address=values["address"],
        birth_date=birth_date or datetime.date(1949, 12, 31),
    )


def add_organisation(case: Case) -> Party:
    return Party.objects.create(
        case=case,
        kind=PartyKind.ORGANISATION,
        name=ORGANISATION["name"],
        id_type=IdType.USCC,
        id_number=ORGANISATION["id_number"],
        legal_representative=ORGANISATION["legal_representative"],
        phone=ORGANISATION["phone"],
        address=ORGANISATION["address"],
    )


def filed_case(world: CaseWorld, *, person: bool = False, birth_date: datetime.date | None = None) -> Case:
    """A filed general-procedure case of t0 with one party (an organisation, or a natural person)."""
    case = open_case(world)
    if person:
        add_person(case, birth_date=birth_date)
    else:
        add_organisation(case)
    staff(case, world)
    add_evidence(case, world)
    case = perform(actor=world.officer, case=case, action="propose_filing", payload={"note": "符合立案条件"})
    return perform(actor=world.leader, case=case, action="approve_filing", payload={"note": "同意立案"})


def _pass_review(world: CaseWorld, case: Case) -> Case:
    LegalReview.objects.filter(case=case).update(
        status=ReviewStatus.PASSED, reviewer=world.reviewer.person, decided_at=timezone.now()
    )
    return perform(actor=world.reviewer, case=case, action="review_pass")


def penalty_case(
    world: CaseWorld,
    *,
    types: list[str] | None = None,
    fine: str | None = "8000",
    person: bool = False,
    birth_date: datetime.date | None = None,
) -> Case:
    """A penalty decided today (state DECIDED): a fine by default, `types=["警告"], fine=None` for a
    warning only."""
    types = types or ["罚款"]
    case = filed_case(world, person=person, birth_date=birth_date)
    intended = {"intended_types": types}
    if fine is not None:
        intended["intended_fine"] = fine
    case = perform(actor=world.officer, case=case, action="notify", payload=intended)
    Service.objects.create(
        case=case,
        document=case.documents.filter(doc_type=DocType.NOTICE_OF_INTENDED_PENALTY).latest("id"),
        party=case.parties.first(),
        method=ServiceMethod.DIRECT,
        recipient=case.parties.first().name,
        served_at=timezone.now(),
    )
    Statement.objects.create(case=case, kind=StatementKind.WAIVER, received_on=timezone.localdate())
    if case.hearing_offered:
        Statement.objects.create(
            case=case, kind=StatementKind.HEARING_WAIVER, received_on=timezone.localdate()
        )
    case = perform(actor=world.officer, case=case, action="submit_review")
    case = _pass_review(world, case)
    decision: dict[str, Any] = {"penalty_types": types}
    if fine is not None:
        decision["fine_amount"] = fine
    return perform(actor=world.leader, case=case, action="decide_penalty", payload=decision)


def no_penalty_case(world: CaseWorld) -> Case:
    """不予行政处罚 decided today (APL Art. 33: a first minor violation corrected at once)."""
    case = filed_case(world)
    reason = "初次违法且危害后果轻微并及时改正，依法不予行政处罚。"
    case = perform(actor=world.officer, case=case, action="propose_no_penalty", payload={"reason": reason})
    case = _pass_review(world, case)
    return perform(actor=world.leader, case=case, action="decide_no_penalty", payload={"reason": reason})


def rectification_case(world: CaseWorld) -> Case:
    """责令改正 ordered today (APL Art. 28), from the case source as in the Gaosha seed story."""
    case = open_case(world)
    add_organisation(case)
    staff(case, world)
    add_evidence(case, world)
    return perform(
        actor=world.officer,
        case=case,
        action="order_rectification",
        payload={
            "requirement": "立即将灭火器归位，清理疏散通道。",
            "rectify_by": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "officer_ids": [world.officer.person.pk, world.second_officer.pk],
        },
    )


def decided_on(case: Case, day: datetime.date) -> Case:
    """Move the decision into the past (builders only: time passing)."""
    Case.objects.filter(pk=case.pk).update(decided_on=day)
    case.refresh_from_db()
    return case


def bulk_decided(world: CaseWorld, n: int, *, start: int = 0, day: datetime.date | None = None) -> list[Case]:
    """`n` decided penalty cases of t0 written directly (no documents): rows for query counts."""
    county = world.county
    now = timezone.now()
    day = day or timezone.localdate()
    cases = Case.objects.bulk_create(
        Case(
            code=f"QB-{start + i:05d}",
            source=CaseSource.INSPECTION,
            procedure=Procedure.GENERAL,
            state=CaseState.DECIDED,
            agency=county.township_agencies[0],
            region=county.townships[0],
            item=world.item,
            title=f"批量案件{start + i}",
            facts="检查发现灭火器被挪作他用。",
            address="东湖镇工业园1号",
            act_on=day,
            discovered_on=day,
            penalty_types=["罚款"],
            fine_amount=Decimal("5000"),
            decided_on=day,
            outcome=Outcome.PENALTY,
            decision_number=f"东湖综执罚决字〔2026〕第{9000 + start + i}号",
            created_at=now,
            updated_at=now,
        )
        for i in range(n)
    )
    Party.objects.bulk_create(
        Party(
            case=case,
            kind=PartyKind.ORGANISATION,
            name=f"东湖批量公司{case.pk}",
            id_type=IdType.USCC,
            id_number="91350102MA2XXXXX1X",
            address="东湖镇工业园1号",
        )
        for case in cases
    )
    return cases


def bulk_publications(world: CaseWorld, cases: list[Case], *, revoked: bool = False) -> list[Publication]:
    """Published rows for `cases` written directly (the recent list; with `revoked`, the withdrawals)."""
    today = timezone.localdate()
    agency = world.county.township_agencies[0]
    region = world.county.townships[0]
    return Publication.objects.bulk_create(
        Publication(
            kind="penalty",
            state="published",
            case=case,
            agency=agency,
            region=region,
            adcode=region.adcode,
            decision_number=case.decision_number,
            decided_on=case.decided_on,
            title=case.title,
            party_kind="organisation",
            party_name="东湖批量公司",
            due_on=today + datetime.timedelta(days=7),
            published_on=today,
            published_at=timezone.now(),
            revoked_on=today if revoked else None,
            withdrawal_reason="revoked" if revoked else "",
            withdrawal_due_on=today + datetime.timedelta(days=3) if revoked else None,
        )
        for case in cases
    )


def events_of(publication: Publication | None = None) -> int:
    """The number of record events about publications (or about one publication)."""
    events = Event.objects.filter(object_type=OBJECT_TYPE)
    if publication is not None:
        events = events.filter(object_id=str(publication.pk))
    return events.count()


def client_for(user) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client
