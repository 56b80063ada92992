"""Builders for the tests of the acts of investigation (no tests here).

Stages are reached through the ORM (test scaffolding, as in factories.py): the transitions themselves
are the engine's tests; here only the acts are under test.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhifa.cases.models import (
    Case,
    CaseDocument,
    CaseState,
    DocType,
    Hearing,
    Service,
    ServiceMethod,
    StatementKind,
)
from zhifa.cases.tests.factories import CaseWorld, ready_case

# A real JPEG/PNG header is enough for the sniffing; the rest is arbitrary bytes.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n<<>>\nendobj\n" * 4


def officer_ids(world: CaseWorld) -> list[int]:
    return [world.officer.person.pk, world.second_officer.pk]


def filed_case(world: CaseWorld, **overrides) -> Case:
    """A case filed today and under investigation, with a party, both officers and one evidence."""
    case = ready_case(world, **overrides)
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.INVESTIGATING,
        filed_on=today,
        decision_due_on=today + datetime.timedelta(days=90),
    )
    case.refresh_from_db()
    return case


def notified_case(world: CaseWorld, *, served_on: datetime.date, hearing_offered: bool = True) -> Case:
    """A case whose notice of intended penalty was served on `served_on` (direct service)."""
    case = filed_case(world)
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.NOTIFIED,
        hearing_offered=hearing_offered,
        intended_types=["罚款"],
        intended_fine="20000",
    )
    serve(case, DocType.NOTICE_OF_INTENDED_PENALTY, served_on)
    case.refresh_from_db()
    return case


def serve(case: Case, doc_type: str, served_on: datetime.date) -> Service:
    document = CaseDocument.objects.create(
        case=case, doc_type=doc_type, title=str(DocType(doc_type).label), issued_on=served_on
    )
    moment = timezone.make_aware(datetime.datetime.combine(served_on, datetime.time(10, 0)))
    return Service.objects.create(
        case=case,
        document=document,
        party=case.parties.first(),
        method=ServiceMethod.DIRECT,
        recipient="王某",
        served_at=moment,
    )


def decided_case(world: CaseWorld) -> Case:
    case = filed_case(world)
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.DECIDED, decided_on=timezone.localdate(), penalty_types=["罚款"], fine_amount="20000"
    )
    case.refresh_from_db()
    return case


def scheduled_hearing(world: CaseWorld, case: Case, *, on: datetime.date, chair=None) -> Hearing:
    case.statements.create(kind=StatementKind.HEARING_REQUEST, received_on=on - datetime.timedelta(days=20))
    Case.objects.filter(pk=case.pk).update(state=CaseState.HEARING)
    return Hearing.objects.create(
        case=case,
        requested_on=on - datetime.timedelta(days=20),
        scheduled_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(9, 30))),
        place="东湖镇政府会议室",
        chair=chair or world.county.person("legal_reviewer", "t0"),
    )


def media_files(root) -> list[str]:
    """Every file under the media root (relative paths), to assert that nothing was left behind."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
