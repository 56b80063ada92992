"""Builders for the record tests (no tests here): cases and clues in the test county's two townships and
in another county, made through the real services where the timeline matters (the t0 clue round the
loop and the case opened from it) and with the ORM elsewhere (test scaffolding, each given one event).

`URLS` is a test-only URL configuration with the pages these tests touch (the record pages, cases,
intake, core, org), so that they do not depend on apps written alongside (the lead's zhifa/urls.py
includes zhifa.supervision.urls under "supervision/").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import include, path
from django.utils import timezone

from zhifa.cases.documents import issue_document
from zhifa.cases.models import (
    Case,
    CaseDocument,
    CaseOfficer,
    CaseSource,
    DocType,
    Evidence,
    EvidenceKind,
    IdType,
    OfficerRole,
    Party,
    PartyKind,
)
from zhifa.cases.services.cases import case_open_from_clue
from zhifa.core.record import record_event
from zhifa.intake.codes import clue_code, tracking_code
from zhifa.intake.models import Clue, ClueSource, ClueStatus
from zhifa.intake.services.report import clue_report
from zhifa.intake.tests.command_helpers import in_status
from zhifa.intake.tests.helpers import INSIDE_T1, IntakeWorld, build_intake_world, clue_input
from zhifa.org.models import RoleCode
from zhifa.org.testing import TestCounty, password_hash
from zhifa.powers.tests.grant_helpers import make_items

URLS = "zhifa.supervision.tests.test_record_world"
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("intake/", include("zhifa.intake.urls_report")),
    path("intake/", include("zhifa.intake.urls_command")),
    path("cases/", include("zhifa.cases.urls")),
    path("supervision/record/", include("zhifa.supervision.urls_record")),
    path("", include("zhifa.core.urls")),
    path("", include("zhifa.org.urls")),
]


@dataclass
class RecordWorld:
    county: TestCounty
    other: TestCounty
    intake: IntakeWorld
    clue_t0: Clue  # dispatched to t0's team, handled: the case was opened from it
    clue_t1: Clue
    clue_other: Clue
    case_t0: Case  # opened from clue_t0 by t0's officer
    case_t1: Case
    case_other: Case


def add_events(case: Case, actor, n: int, action: str = "case.party_update") -> None:
    """`n` record events on `case` (scaffolding for the timeline; each as a service would write it)."""
    for i in range(n):
        with transaction.atomic():
            record_event(
                actor=actor,
                action=action,
                obj=case,
                before={"name": f"当事人{i}"},
                after={"name": f"当事人{i + 1}"},
            )


def orm_clue(county: TestCounty, intake: IntakeWorld, place: int = 0) -> Clue:
    now = timezone.now()
    clue = Clue.objects.create(
        code=clue_code(now),
        tracking_code=tracking_code(),
        source=ClueSource.GRID,
        category=intake.category,
        text="河道边有人倾倒建筑垃圾",
        address=f"{county.townships[place].name}河滨路",
        region=county.townships[place],
        township=county.townships[place],
        status=ClueStatus.DISPATCHED,
        assigned_agency=county.township_agencies[place],
        reported_at=now,
    )
    with transaction.atomic():
        record_event(actor=None, action="clue.report", obj=clue, after={"status": clue.status})
    return clue


def orm_case(county: TestCounty, code: str, place: int = 0) -> Case:
    """A case of township `place` with a party and two pieces of evidence (hashes, no files)."""
    now = timezone.now()
    case = Case.objects.create(
        code=code,
        source=CaseSource.INSPECTION,
        agency=county.township_agencies[place],
        region=county.townships[place],
        item=make_items(county, 1, prefix=f"R{code[-4:]}")[0],
        title="擅自挪用消防器材案",
        facts="当事人将厂区内配置的灭火器挪作他用。",
        address="工业园1号",
        act_on=now.date(),
        discovered_on=now.date(),
        created_at=now,
        updated_at=now,
    )
    Party.objects.create(
        case=case,
        kind=PartyKind.ORGANISATION,
        name="东湖包装有限公司",
        id_type=IdType.USCC,
        id_number="91350102MA2Y0001XK",
        legal_representative="王某某",
        address="工业园1号",
    )
    for role, duty in ((RoleCode.OFFICER, OfficerRole.LEAD), (RoleCode.TEAM_LEADER, OfficerRole.ASSIST)):
        person = county.person(role, f"t{place}")
        CaseOfficer.objects.create(case=case, person=person, role=duty, assigned_on=now.date())
    for title in ("现场检查笔录", "现场照片3张"):
        Evidence.objects.create(
            case=case,
            kind=EvidenceKind.INSPECTION_RECORD,
            title=title,
            collected_at=now,
            place=case.address,
            sha256="ab" * 32,
        )
    with transaction.atomic():
        record_event(actor=county.user(RoleCode.OFFICER, f"t{place}"), action="case.open", obj=case, after={})
    return case


def build_record_world(county: TestCounty, other: TestCounty) -> RecordWorld:
    intake = build_intake_world(county)
    clue_t0 = in_status(intake, ClueStatus.HANDLING)
    case_t0 = case_open_from_clue(actor=county.user(RoleCode.OFFICER, "t0"), clue=clue_t0)
    clue_t1 = clue_report(actor=county.user(RoleCode.GRID_WORKER, "t1"), data=clue_input(intake, INSIDE_T1))
    clue_t1.assigned_agency = county.township_agencies[1]
    clue_t1.save(update_fields=["assigned_agency"])
    other_intake = IntakeWorld(other, intake.category, intake.claimed, intake.ungranted, [])
    return RecordWorld(
        county=county,
        other=other,
        intake=intake,
        clue_t0=clue_t0,
        clue_t1=clue_t1,
        clue_other=orm_clue(other, other_intake),
        case_t0=case_t0,
        case_t1=orm_case(county, "C2026-0101", place=1),
        case_other=orm_case(other, "C2026-0201"),
    )


def issue_filing_approval(case: Case, actor) -> CaseDocument:
    """A filing approval form of `case`, issued and stored as the engine's transition would."""
    extra = {"opinion": "建议立案调查。", "approval_opinion": "同意立案。", "approver": "张镇长"}
    with transaction.atomic():
        return issue_document(
            case=case,
            doc_type=DocType.FILING_APPROVAL,
            extra=extra,
            actor=actor,
            on_date=timezone.localdate(),
        )


def superuser():
    return get_user_model().objects.create(
        username="root", password=password_hash(), is_superuser=True, is_staff=True
    )
