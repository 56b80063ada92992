"""The officers of a case and their recusal (回避).

APL Art. 42: penalties are enforced by at least two officers holding an enforcement qualification, so
only a person who may enforce in the item's domain today (zhifa.org.enforcement) is assigned, and only
from the case's agency or seconded to it ("县属乡用"). APL Art. 43: an officer with a direct interest
withdraws; each officer states that no ground applies, the party may apply for recusal, the agency head
decides, and the investigation goes on meanwhile.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.guards import GuardContext, two_certified_officers
from zhifa.cases.models import (
    Case,
    CaseOfficer,
    HearingResult,
    OfficerRole,
    Recusal,
    RecusalDecision,
)
from zhifa.cases.policies import can_lead, can_work_on
from zhifa.cases.services.acts import (
    check,
    lock,
    require_lead,
    require_open,
    require_work,
    step,
    text,
    today,
)
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.record import record_event
from zhifa.org.enforcement import certificate_valid_on, enforcement_problems
from zhifa.org.models import Certificate, Person
from zhifa.org.scoping import person_of


def lead_officer(user: Any, case: Case) -> CaseOfficer | None:
    """The user's own active assignment as the case's lead officer (主办), if any."""
    person = person_of(user)
    if person is None:
        return None
    return case.officers.filter(person=person, role=OfficerRole.LEAD, withdrawn_on__isnull=True).first()


def can_staff(user: Any, case: Case) -> bool:
    """Team leaders of the agency, and the case's lead officer, assign and withdraw officers."""
    return can_lead(user, case) or (can_work_on(user, case) and lead_officer(user, case) is not None)


def _require_staff(actor: Any, case: Case) -> None:
    if not can_staff(actor, case):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有队长或本案主办人员可以指派、调整承办人员。"))


def serves_agency(person: Person, case: Case, on_date: datetime.date) -> bool:
    """The person belongs to the case's agency, or is seconded to it on the date."""
    if person.agency_id == case.agency_id:
        return True
    return any(s.to_agency_id == case.agency_id and s.is_active_on(on_date) for s in person.secondments.all())


def assignment_problems(person: Person, case: Case, on_date: datetime.date) -> list[str]:
    """Why `person` may not be assigned to `case` on the date (agency, APL Art. 42 certificate)."""
    problems: list[str] = []
    if not serves_agency(person, case, on_date):
        problems.append(
            _("%(name)s不属于%(agency)s，也未派驻到该机关。")
            % {"name": person.name, "agency": case.agency.name}
        )
    domain = case.item.domain
    if domain is None:
        problems.append(_("该事项未设执法领域，无法核验执法证（《行政处罚法》第四十二条）。"))
    else:
        problems.extend(enforcement_problems(person, domain, on_date))
    return problems


def case_officer_assign(
    *,
    actor: Any,
    case: Case,
    person: Person,
    role: str = OfficerRole.ASSIST,
    on_date: datetime.date | None = None,
) -> CaseOfficer:
    """Assign `person` to the case (APL Art. 42). A new lead officer (主办) makes the former lead an
    assisting officer. A person withdrawn on a granted recusal (Art. 43) cannot come back."""
    _require_staff(actor, case)
    day = on_date or today()
    if role not in OfficerRole.values:
        raise ServiceError(ErrorCode.INVALID, _("分工不正确。"), field="role")
    if person is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请选择执法人员。"), field="person")
    problems = assignment_problems(person, case, day)
    if problems:
        raise ValidationErrors([ServiceError(ErrorCode.INVALID, p, field="person") for p in problems])
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        existing = CaseOfficer.objects.select_for_update().filter(case=locked, person=person).first()
        if existing is not None and existing.active:
            raise ServiceError(
                ErrorCode.DUPLICATE, _("%(name)s已是本案承办人员。") % {"name": person.name}, field="person"
            )
        if locked.recusals.filter(person=person, decision=RecusalDecision.GRANTED).exists():
            raise ServiceError(
                ErrorCode.INVALID,
                _("%(name)s已准予回避，不能再承办本案（《行政处罚法》第四十三条）。") % {"name": person.name},
                field="person",
            )
        if role == OfficerRole.LEAD:
            locked.officers.filter(role=OfficerRole.LEAD).update(role=OfficerRole.ASSIST)
        if existing is None:
            officer = CaseOfficer.objects.create(case=locked, person=person, role=role, assigned_on=day)
        else:  # withdrawn earlier for another reason: assigned again, with a fresh Art. 43 statement
            existing.role, existing.assigned_on = role, day
            existing.withdrawn_on, existing.withdrawn_reason, existing.no_conflict_declared = None, "", False
            existing.save(
                update_fields=[
                    "role",
                    "assigned_on",
                    "withdrawn_on",
                    "withdrawn_reason",
                    "no_conflict_declared",
                ]
            )
            officer = existing
        after = {"officer": officer.pk, "person": person.pk, "name": person.name, "role": role}
        step(locked, actor, "officer_assign", _("指派承办人员"), person.name, after)
        record_event(actor=actor, action="case.officer_assign", obj=locked, after=after)
    return officer


def case_officer_declare(*, actor: Any, officer: CaseOfficer) -> CaseOfficer:
    """The officer himself states that no ground for recusal applies (APL Art. 43: 无应当回避情形)."""
    case = officer.case
    require_work(actor, case)
    person = person_of(actor)
    if person is None or person.pk != officer.person_id:
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("只能由执法人员本人声明无应当回避情形。"))
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        updated = CaseOfficer.objects.filter(
            pk=officer.pk, withdrawn_on__isnull=True, no_conflict_declared=False
        ).update(no_conflict_declared=True)
        if not updated:
            raise ServiceError(ErrorCode.INVALID_STATE, _("已声明过，或已不再承办本案。"), field="officer")
        officer.refresh_from_db()
        after = {"officer": officer.pk, "person": person.pk, "name": person.name}
        step(locked, actor, "officer_declare", _("声明无应当回避情形"), person.name, after)
        record_event(actor=actor, action="case.officer_declare", obj=locked, after=after)
    return officer


def case_officer_withdraw(
    *, actor: Any, officer: CaseOfficer, reason: str, on_date: datetime.date | None = None
) -> CaseOfficer:
    """Take an officer off the case (调出) with the reason; the record keeps the assignment. With fewer
    than two certified officers left, the next act or step is refused until another is assigned (Art. 42)."""
    case = officer.case
    _require_staff(actor, case)
    reason = text(reason, "reason", _("调出原因"), limit=300)
    day = on_date or today()
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        updated = CaseOfficer.objects.filter(pk=officer.pk, withdrawn_on__isnull=True).update(
            withdrawn_on=day, withdrawn_reason=reason
        )
        if not updated:
            raise ServiceError(ErrorCode.INVALID_STATE, _("该人员已不再承办本案。"), field="officer")
        officer.refresh_from_db()
        after = {"officer": officer.pk, "person": officer.person_id, "reason": reason}
        step(locked, actor, "officer_withdraw", _("调出承办人员"), reason, after)
        record_event(actor=actor, action="case.officer_withdraw", obj=locked, after=after)
    return officer


# --- officers present at an act (APL Art. 42, 55; ACL Art. 18) -------------------------------------------


def collector_rows(case: Case, people: list[Person], on_date: datetime.date) -> list[dict[str, Any]]:
    """Name and certificate number (valid that day, for the item's domain) of each collecting officer."""
    certificates = (
        Certificate.objects.filter(holder_id__in=[p.pk for p in people], domains=case.item.domain_id)
        .prefetch_related("status_changes")
        .order_by("number")
    )
    numbers: dict[int, str] = {}
    for certificate in certificates:
        if certificate.holder_id not in numbers and certificate_valid_on(certificate, on_date):
            numbers[certificate.holder_id] = certificate.number
    return [{"id": p.pk, "name": p.name, "certificate": numbers.get(p.pk, "")} for p in people]


def two_officers(
    case: Case, actor: Any, officer_ids: list[Any], on_date: datetime.date, *, field: str = "officer_ids"
) -> list[Person]:
    """The officers named as present: at least two of the case's active officers who may enforce in the
    item's domain on the day (APL Art. 42, 55), via the procedure's own guard. Errors name `field`."""
    try:
        ids = list(dict.fromkeys(int(i) for i in officer_ids or []))
    except (TypeError, ValueError):
        raise ServiceError(ErrorCode.INVALID, _("执法人员选择不正确。"), field=field) from None
    if len(ids) < 2:
        raise ServiceError(
            ErrorCode.INVALID,
            _("须有两名以上执法人员在场（《行政处罚法》第四十二条、第五十五条）。"),
            field=field,
        )
    ctx = GuardContext(case, actor, person_of(actor), on_date, {"officer_ids": ids})
    problems = two_certified_officers(ctx)
    if problems:
        check([ServiceError(ErrorCode.INVALID, p, field=field) for p in problems])
    officers = {o.person_id: o.person for o in ctx.officers}
    return [officers[i] for i in ids]


# --- recusal (APL Art. 43; Art. 64(4) for the hearing chair) ---------------------------------------------


def recusable(case: Case) -> list[Person]:
    """Whose recusal may be asked: the case's active officers and the chairs of its scheduled hearings."""
    people = {
        o.person_id: o.person
        for o in case.officers.filter(withdrawn_on__isnull=True).select_related("person")
    }
    for hearing in case.hearings.filter(result=HearingResult.SCHEDULED).select_related("chair"):
        people.setdefault(hearing.chair_id, hearing.chair)
    return list(people.values())


def recusal_apply(
    *, actor: Any, case: Case, person: Person, reason: str, raised_by_party: bool = True
) -> Recusal:
    """Record an application for recusal by the party, or an officer's own (自行回避), for the agency
    head to decide (APL Art. 43). The investigation goes on meanwhile; the next procedural step waits
    for the decision (guard recusal_settled)."""
    require_work(actor, case)
    reason = text(reason, "reason", _("回避理由"))
    if person is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请选择申请回避的人员。"), field="person")
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        if person.pk not in {p.pk for p in recusable(locked)}:
            raise ServiceError(
                ErrorCode.INVALID, _("只能对本案承办人员或听证主持人申请回避。"), field="person"
            )
        if locked.recusals.filter(person=person, decision=RecusalDecision.PENDING).exists():
            raise ServiceError(
                ErrorCode.DUPLICATE,
                _("对%(name)s的回避申请尚未决定。") % {"name": person.name},
                field="person",
            )
        recusal = Recusal.objects.create(
            case=locked, person=person, reason=reason, raised_by_party=bool(raised_by_party)
        )
        after = {
            "recusal": recusal.pk,
            "person": person.pk,
            "name": person.name,
            "by_party": bool(raised_by_party),
        }
        step(locked, actor, "recusal_apply", _("申请回避"), reason, after)
        record_event(actor=actor, action="case.recusal_apply", obj=locked, after=after)
    return recusal


def recusal_decide(
    *, actor: Any, recusal: Recusal, granted: bool, note: str = "", on_date: datetime.date | None = None
) -> Recusal:
    """The agency head (team leader) decides a recusal (APL Art. 43). Granted: the officer leaves the
    case that day (withdrawn_on). Refused: the reason is required. Nobody decides their own recusal."""
    case = recusal.case
    require_lead(actor, case)
    person = person_of(actor)
    if person is not None and person.pk == recusal.person_id:
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("本人的回避由其他负责人决定。"))
    note = text(note, "note", _("决定理由"), required=not granted, limit=500)
    day = on_date or today()
    decision = RecusalDecision.GRANTED if granted else RecusalDecision.REFUSED
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        updated = Recusal.objects.filter(pk=recusal.pk, decision=RecusalDecision.PENDING).update(
            decision=decision, decision_note=note, decided_by=actor, decided_at=timezone.now()
        )
        if not updated:
            raise ServiceError(ErrorCode.INVALID_STATE, _("该回避申请已经决定。"), field="granted")
        recusal.refresh_from_db()
        withdrawn = 0
        if granted:
            withdrawn = CaseOfficer.objects.filter(
                case=locked, person_id=recusal.person_id, withdrawn_on__isnull=True
            ).update(
                withdrawn_on=day,
                withdrawn_reason=(_("准予回避：%(note)s") % {"note": note or recusal.reason})[:300],
            )
        after = {
            "recusal": recusal.pk,
            "person": recusal.person_id,
            "decision": decision,
            "withdrawn": withdrawn,
        }
        step(locked, actor, "recusal_decide", _("决定回避"), note, after)
        record_event(
            actor=actor,
            action="case.recusal_decide",
            obj=locked,
            before={"decision": RecusalDecision.PENDING},
            after=after,
        )
    return recusal
