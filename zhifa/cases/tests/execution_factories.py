"""Builders for the service and payment tests: a case taken through the engine to the notice, to the
decision, and (by serving the decision on paper) into execution.

The steps are the real transitions (zhifa.cases.engine.perform), which issue their documents through
zhifa.cases.documents.issue_document. Only the legal review's answer is written directly in the database
(the review service belongs to another part of the issue): the `review_pass` transition still checks it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import (
    Case,
    CaseDocument,
    DocType,
    EvidenceKind,
    LegalReview,
    Party,
    Procedure,
    ReviewStatus,
    Service,
    ServiceMethod,
    Statement,
    StatementKind,
)
from zhifa.cases.tests.factories import CaseWorld, add_evidence, add_party, open_case, ready_case, staff
from zhifa.core.models import Event

FINE = Decimal("8000.00")


def notified_case(world: CaseWorld, *, fine: Decimal = FINE, **overrides) -> Case:
    """A filed case whose notice of intended penalty (a fine) has been issued, not yet served."""
    case = ready_case(world, **overrides)
    case = perform(actor=world.officer, case=case, action="propose_filing")
    case = perform(actor=world.leader, case=case, action="approve_filing")
    return perform(
        actor=world.officer,
        case=case,
        action="notify",
        payload={"intended_types": ["罚款"], "intended_fine": str(fine)},
    )


def document_of(case: Case, doc_type: str) -> CaseDocument:
    return case.documents.filter(doc_type=doc_type).order_by("-id").first()


def party_of(case: Case) -> Party:
    return case.parties.order_by("id").first()


def serve_directly(case: Case, doc_type: str, *, on: datetime.datetime | None = None) -> Service:
    """A Service row written directly (builders only: the service under test is service_record)."""
    party = party_of(case)
    return Service.objects.create(
        case=case,
        document=document_of(case, doc_type),
        party=party,
        method=ServiceMethod.DIRECT,
        recipient=party.name,
        served_at=on or timezone.now(),
    )


def decided_case(world: CaseWorld, *, fine: Decimal = FINE, **overrides) -> Case:
    """A case with a penalty decision (fine), not yet served: state DECIDED."""
    case = notified_case(world, fine=fine, **overrides)
    serve_directly(case, DocType.NOTICE_OF_INTENDED_PENALTY)
    Statement.objects.create(case=case, kind=StatementKind.WAIVER, received_on=timezone.localdate())
    case = perform(actor=world.officer, case=case, action="submit_review")
    LegalReview.objects.filter(case=case).update(
        status=ReviewStatus.PASSED, reviewer=world.reviewer.person, decided_at=timezone.now()
    )
    case = perform(actor=world.reviewer, case=case, action="review_pass")
    return perform(
        actor=world.leader,
        case=case,
        action="decide_penalty",
        payload={"penalty_types": ["罚款"], "fine_amount": str(fine)},
    )


def consenting(case: Case, world: CaseWorld) -> Party:
    """The case's party having signed the address confirmation (送达地址确认书) for electronic service."""
    party = party_of(case)
    party.e_service_consent = True
    party.e_service_address = "wang@example.com"
    party.e_service_consent_evidence = add_evidence(case, world, EvidenceKind.DOCUMENTARY)
    party.save(update_fields=["e_service_consent", "e_service_address", "e_service_consent_evidence"])
    return party


def events(case: Case) -> list[Event]:
    """The record events about the case, in order."""
    return list(Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("seq"))


def executing_case(world: CaseWorld, *, fine: Decimal = FINE, **overrides) -> Case:
    """A penalty decision served directly on the party today (service_record): state EXECUTING."""
    from zhifa.cases.services.service import service_record

    case = decided_case(world, fine=fine, **overrides)
    service_record(
        actor=world.officer,
        document=document_of(case, DocType.PENALTY_DECISION),
        party=party_of(case),
        method=ServiceMethod.DIRECT,
        recipient="王某",
        served_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    case.refresh_from_db()
    return case


def spot_case(world: CaseWorld, *, fine: str = "50", organisation: bool = False) -> Case:
    """A simplified-procedure case decided on the spot with a fine (APL Art. 51-52): state EXECUTING."""
    case = open_case(world, procedure=Procedure.SIMPLIFIED)
    add_party(case, organisation=organisation)
    staff(case, world)
    return perform(
        actor=world.officer,
        case=case,
        action="decide_on_the_spot",
        payload={"penalty_types": ["罚款"], "fine_amount": fine},
    )


def overdue(case: Case, days: int) -> Case:
    """Move the payment due date `days` into the past (builders only: time passing)."""
    Case.objects.filter(pk=case.pk).update(
        payment_due_on=timezone.localdate() - datetime.timedelta(days=days)
    )
    case.refresh_from_db()
    return case
