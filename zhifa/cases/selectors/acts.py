"""What the workspace's sections for the acts of investigation show: officers and recusals, parties,
evidence and records, statements and hearings, extensions, coercive measures and remedies.

`<section>_context(user, case)` returns the section's rows and its (unbound) forms, in a fixed number
of queries whatever the number of rows. Its keys start with the section's name, so the workspace can
merge every section's context into one. `bound` replaces forms by prefix with the bound forms of a
refused post (the views pass it, so the errors show next to their fields). The case must already be
visible to the user (the views and the workspace fetch it with org.scoping.get_visible_or_404).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from zhifa.cases import deadlines
from zhifa.cases import forms_acts as f
from zhifa.cases.guards import notice_served_on
from zhifa.cases.models import Case, CaseOfficer, HearingResult, StatementKind
from zhifa.cases.policies import CASE_ROLES, can_lead, can_work_on
from zhifa.cases.services.acts import is_decided
from zhifa.cases.services.evidence import max_bytes
from zhifa.cases.services.officers import can_staff
from zhifa.cases.settings_defaults import settings_for
from zhifa.org.enforcement import certificate_valid_on
from zhifa.org.models import Certificate, Person, PersonStatus
from zhifa.org.scoping import person_of

Bound = dict[str, forms.Form] | None


def _form(bound: Bound, prefix: str, cls: type[forms.Form], **kwargs: Any) -> forms.Form:
    if bound and prefix in bound:
        return bound[prefix]
    return cls(prefix=prefix, **kwargs)


def active_officers(case: Case) -> list[CaseOfficer]:
    return [o for o in case.officers.select_related("person").order_by("id") if o.withdrawn_on is None]


def officer_choices(officers: list[CaseOfficer]) -> list[tuple[int, str]]:
    return [(o.person_id, f"{o.person.name}（{o.get_role_display()}）") for o in officers]


def assignable_people(case: Case) -> Any:
    """People who may be chosen for the case: of its agency, or seconded to it today (the service then
    checks their certificate, APL Art. 42)."""
    day = timezone.localdate()
    seconded = Q(secondments__to_agency_id=case.agency_id, secondments__start_date__lte=day) & (
        Q(secondments__end_date__isnull=True) | Q(secondments__end_date__gte=day)
    )
    return (
        Person.objects.filter(status=PersonStatus.ACTIVE, roles__code__in=CASE_ROLES)
        .filter(Q(agency_id=case.agency_id) | seconded)
        .distinct()
        .order_by("name", "pk")
    )


def officers_context(user: Any, case: Case, *, bound: Bound = None) -> dict[str, Any]:
    """The case's officers (with whether each may enforce in the item's domain today, APL Art. 42), their
    Art. 43 statements, the recusals and the forms to assign, withdraw, apply and decide."""
    day = timezone.localdate()
    officers = list(case.officers.select_related("person").order_by("withdrawn_on", "role", "id"))
    certificates = Certificate.objects.filter(
        holder_id__in=[o.person_id for o in officers], domains=case.item.domain_id
    ).prefetch_related("status_changes")
    valid: dict[int, list[str]] = {}
    for certificate in certificates:
        if certificate_valid_on(certificate, day):
            valid.setdefault(certificate.holder_id, []).append(certificate.number)
    me = person_of(user)
    for o in officers:
        o.certificates = valid.get(o.person_id, [])
        o.can_enforce = bool(o.certificates) and o.person.status == PersonStatus.ACTIVE
        o.mine = me is not None and o.person_id == me.pk
        o.withdraw_form = _form(bound, f"withdraw-{o.pk}", f.ReasonForm)
        o.declare_form = _form(bound, f"declare-{o.pk}", forms.Form)
    recusals = list(case.recusals.select_related("person").order_by("created_at", "id"))
    for r in recusals:
        r.decide_form = _form(bound, f"decide-{r.pk}", f.RecusalDecideForm)
    active = [o for o in officers if o.withdrawn_on is None]
    people = assignable_people(case).exclude(pk__in=[o.person_id for o in active])
    recusable = [o.person for o in active]
    return {
        "officers_rows": officers,
        "officers_qualified": sum(1 for o in active if o.can_enforce),
        "officers_recusals": recusals,
        "officers_can_staff": case.is_open and can_staff(user, case),
        "officers_assign_form": _form(bound, "officer", f.OfficerAssignForm, people=people),
        "officers_recusal_form": _form(bound, "recusal", f.RecusalApplyForm, people=recusable),
    }


def parties_context(
    user: Any, case: Case, *, bound: Bound = None, editing: int | None = None
) -> dict[str, Any]:
    """The parties (identity, address, electronic service consent, APL Art. 59(1), 61) and the forms to
    add one or (`editing`) correct one."""
    parties = list(case.parties.select_related("e_service_consent_evidence").order_by("id"))
    evidence = case.evidence.order_by("collected_at", "id")
    edit_form = None
    for party in parties:
        party.editing = party.pk == editing
        if party.editing:
            initial = {
                name: getattr(party, name)
                for name in (
                    "version",
                    "kind",
                    "name",
                    "id_type",
                    "id_number",
                    "legal_representative",
                    "birth_date",
                    "address",
                    "phone",
                    "e_service_consent",
                    "e_service_address",
                )
            }
            initial["consent_evidence"] = party.e_service_consent_evidence_id
            edit_form = _form(bound, f"party-{party.pk}", f.PartyForm, evidence=evidence, initial=initial)
    decided = is_decided(case)
    return {
        "parties_rows": parties,
        "parties_decided": decided,
        "parties_add_form": None if decided else _form(bound, "party", f.PartyForm, evidence=evidence),
        "parties_edit_form": edit_form,
        "parties_max_mb": max_bytes() // 1024 // 1024,
    }


def evidence_context(user: Any, case: Case, *, bound: Bound = None) -> dict[str, Any]:
    """The evidence (APL Art. 46) in the order collected, whether it is frozen (decided), and the forms to
    add evidence, make an inspection or interview record, or remove a piece registered in error."""
    rows = list(case.evidence.select_related("created_by__person").order_by("collected_at", "id"))
    for e in rows:
        e.remove_form = _form(bound, f"remove-{e.pk}", f.ReasonForm)
        e.collector_names = "、".join(
            str(c.get("name", "")) if isinstance(c, dict) else str(c) for c in (e.collectors or [])
        )
    choices = officer_choices(active_officers(case))
    frozen = is_decided(case)
    return {
        "evidence_rows": rows,
        "evidence_frozen": frozen,
        "evidence_max_mb": max_bytes() // 1024 // 1024,
        "evidence_add_form": None if frozen else _form(bound, "evidence", f.EvidenceForm, officers=choices),
        "evidence_inspection_form": None
        if frozen
        else _form(bound, "inspection", f.InspectionForm, officers=choices),
        "evidence_interview_form": None
        if frozen
        else _form(bound, "interview", f.InterviewForm, officers=choices),
    }


def statements_context(user: Any, case: Case, *, bound: Bound = None) -> dict[str, Any]:
    """What the party said after the notice (APL Art. 45, 62), the hearing request period (Art. 64(1)),
    the hearings and the forms to record them."""
    served = notice_served_on(case)
    request_due: datetime.date | None = None
    if served is not None and case.hearing_offered:
        request_due = deadlines.hearing_request_due(served).due
    statements = list(case.statements.select_related("recorded_by__person").order_by("received_on", "id"))
    for s in statements:
        s.can_reexamine = s.kind == StatementKind.STATEMENT and not s.reexamination and s.adopted is None
        s.reexamine_form = _form(bound, f"reexamine-{s.pk}", f.ReexamineForm)
    hearings = list(case.hearings.select_related("chair").order_by("scheduled_at", "id"))
    for h in hearings:
        h.open = h.result == HearingResult.SCHEDULED
        h.record_form = _form(bound, f"hearing-{h.pk}", f.HearingRecordForm)
    return {
        "statements_rows": statements,
        "statements_hearings": hearings,
        "statements_notice_served_on": served,
        "statements_request_due": request_due,
        "statements_form": _form(bound, "statement", f.StatementForm, hearing_offered=case.hearing_offered),
    }


def extensions_context(user: Any, case: Case, *, bound: Bound = None) -> dict[str, Any]:
    """The approved extensions of the decision period (APL Art. 60), the local setting with its source,
    the period now, and the leader's form."""
    setting = settings_for(case.agency)["extension_days"]
    discussions = case.discussions.order_by("-held_on", "-id")
    return {
        "extensions_rows": list(
            case.extensions.select_related("approved_by__person").order_by("approved_on", "id")
        ),
        "extensions_setting": setting,
        "extensions_decision_due_on": case.decision_due_on,
        "extensions_open": case.filed_on is not None and not is_decided(case) and case.is_open,
        "extensions_form": _form(
            bound, "extension", f.ExtensionForm, discussions=discussions, initial={"version": case.version}
        ),
    }


def measures_context(user: Any, case: Case, *, bound: Bound = None) -> dict[str, Any]:
    """Coercive measures with their periods (ACL Art. 25; APL Art. 56) and reconsideration or litigation
    (APL Art. 73), with the forms to start, extend and lift, and to record a remedy."""
    day = timezone.localdate()
    measures = list(case.measures.order_by("started_on", "id"))
    for m in measures:
        m.active = m.lifted_on is None
        m.overdue = m.active and day > m.due_on
        m.extend_form = _form(bound, f"mextend-{m.pk}", f.MeasureExtendForm)
        m.lift_form = _form(bound, f"lift-{m.pk}", f.MeasureLiftForm, initial={"lifted_on": day})
    remedies = list(case.remedies.order_by("started_on", "id"))
    for r in remedies:
        r.end_form = _form(bound, f"rend-{r.pk}", f.RemedyEndForm)
    choices = officer_choices(active_officers(case))
    return {
        "measures_rows": measures,
        "measures_open": case.is_open and not is_decided(case),
        "measures_form": _form(
            bound, "measure", f.MeasureStartForm, officers=choices, initial={"started_on": day}
        ),
        "measures_remedies": remedies,
        "measures_decided": case.decided_on is not None,
        "measures_remedy_form": _form(bound, "remedy", f.RemedyStartForm),
    }


def acts_perms(user: Any, case: Case) -> dict[str, bool]:
    """The `perms` the sections expect (the workspace passes the same)."""
    return {
        "can_work": can_work_on(user, case),
        "can_lead": can_lead(user, case),
        "can_staff": can_staff(user, case),
    }
