"""Builders for the legal review tests: a case brought up to REVIEW through the engine, the reviewers of
each tier, and a complete checklist answer.

A case reaches REVIEW the way a team takes it there: filing proposed and approved, the notice of the
intended penalty issued (APL Art. 44) and served, the party's express waiver of statement and defence
(Art. 45, 62), then "submit_review" (Art. 58).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import Case, DocType, LegalReview, Service, ServiceMethod, Statement, StatementKind
from zhifa.cases.review_checklist import CHECK_KEYS
from zhifa.cases.tests.factories import CaseWorld, add_evidence, add_party, open_case, staff
from zhifa.org.models import Agency, AgencyKind, Department, Person, RoleCode
from zhifa.org.testing import make_person


def served_notice(case: Case, *, waiver: bool = True, hearing_waiver: bool = False) -> None:
    """The notice of intended penalty served on the party today, with the party's express waivers."""
    notice = case.documents.filter(doc_type=DocType.NOTICE_OF_INTENDED_PENALTY).latest("id")
    Service.objects.create(
        case=case,
        document=notice,
        party=case.parties.first(),
        method=ServiceMethod.DIRECT,
        recipient="王某",
        served_at=timezone.now(),
    )
    today = timezone.localdate()
    if waiver:
        Statement.objects.create(case=case, kind=StatementKind.WAIVER, received_on=today)
    if hearing_waiver:
        Statement.objects.create(case=case, kind=StatementKind.HEARING_WAIVER, received_on=today)


def notified_case(
    world: CaseWorld, *, fine: str = "6000", person: bool = False, types: list[str] | None = None, **over: Any
) -> Case:
    """A filed case whose notice of intended penalty (fine `fine`) has been served and waived. The party
    is an organisation, or a natural person with `person` (then a fine of 10,000 or more carries the
    hearing right, APL Art. 63, local default)."""
    case = open_case(world, **over)
    add_party(case, organisation=not person)
    staff(case, world)
    add_evidence(case, world)
    case = perform(actor=world.officer, case=case, action="propose_filing", payload={"note": "符合立案条件"})
    case = perform(actor=world.leader, case=case, action="approve_filing", payload={"note": "同意立案"})
    case = perform(
        actor=world.officer,
        case=case,
        action="notify",
        payload={"intended_types": types or ["罚款"], "intended_fine": fine},
    )
    served_notice(case, hearing_waiver=case.hearing_offered)
    case.refresh_from_db()
    return case


def review_case(world: CaseWorld, *, tier: str | None = None, **over: Any) -> Case:
    """A case in REVIEW (one pending review round), submitted by t0's officer."""
    case = notified_case(world, **over)
    payload = {"note": "提请法制审核"}
    if tier:
        payload["tier"] = tier
    return perform(actor=world.officer, case=case, action="submit_review", payload=payload)


def pending_review(case: Case) -> LegalReview:
    return case.reviews.order_by("-round", "-id").first()


def all_passed(**overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every check of the GO118 (十三) checklist answered "passed"; `overrides` replace single checks."""
    answers = {key: {"passed": True, "opinion": ""} for key in CHECK_KEYS}
    answers.update(overrides)
    return answers


def urban_department(world: CaseWorld) -> Agency:
    """A county department competent for the item's domain (urban management): the agency whose legal
    section co-reviews t0's department-tier cases (seed 000: 部门协审)."""
    county = world.county
    department = Department.objects.create(name="测试县城市管理局", short_name="县城管", region=county.county)
    department.domains.set([county.domains["urban"]])
    return Agency.objects.create(
        name=department.name,
        short_name="县城管",
        kind=AgencyKind.DEPARTMENT,
        region=county.county,
        department=department,
    )


def department_reviewer(world: CaseWorld, agency: Agency, username: str = "dept-reviewer") -> Person:
    prefix = world.county.county.adcode[:4]
    return make_person(
        username=f"{prefix}-{username}",
        name="城管局法制科审核员",
        region=world.county.county,
        roles=[RoleCode.LEGAL_REVIEWER],
        agency=agency,
    )
