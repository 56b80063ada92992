"""`build_fields`: a document's content assembled from the case, frozen as JSON on the CaseDocument.

The content is taken from the case instance as the caller holds it (the engine may set the decided
penalty on the locked instance before issuing the decision), from its rows (parties, evidence,
officers with their certificates, hearings, reviews...) and from `extra`, the caller's fields (an
inspection record's content, a rectification deadline, a review opinion...). The printable page and
the PDF are rendered from these fields only, so the document reads the same whenever it is reopened.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from zhifa.cases.documents import rows
from zhifa.cases.documents.checklist import checklist_rows
from zhifa.cases.documents.registry import spec_for
from zhifa.cases.documents.text import (
    date_text,
    iso_text,
    money_text,
    penalty_items,
    plain,
    to_decimal,
)
from zhifa.cases.models import Case, CaseOfficer, OfficerRole, Party, PartyKind
from zhifa.org.enforcement import certificate_valid_on
from zhifa.org.models import Agency, Certificate, Region, RegionLevel

# APL Art. 67: the fine is paid within 15 days of receiving the decision; ARL 2023 Art. 20 and ALL
# Art. 46: reconsideration within 60 days, litigation within 6 months (LAW.md section 9).
PAYMENT_DAYS = 15
RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6
HEARING_REQUEST_WORKING_DAYS = 5  # APL Art. 64(1)
SURCHARGE_PERCENT = 3  # APL Art. 72(1)
DEFAULT_FINE_BANK = "代收银行"

# Keys computed from the case that the caller's `extra` may not replace: who issues, to whom, who acted,
# and the remedies the law requires to be printed.
PROTECTED = frozenset(
    {"doc_title", "agency_name", "agency_short", "case_code", "seal", "issued_on", "date_text"}
    | {"parties", "officers", "remedies", "county_name"}
)


def county_of(agency: Agency) -> Region:
    """The county (区/县) of the agency's region: the body of reconsideration and the court sit there."""
    region = agency.region
    while (
        region.level not in (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE) and region.parent_id
    ):
        region = region.parent
    return region


def party_row(party: Party) -> dict[str, Any]:
    organisation = party.kind != PartyKind.PERSON
    return {
        "kind": party.kind,
        "kind_label": str(party.get_kind_display()),
        "organisation": organisation,
        "name": party.name,
        "id_type_label": str(party.get_id_type_display()),
        "id_number": party.id_number,
        "legal_representative": party.legal_representative if organisation else "",
        "address": party.address,
        "phone": party.phone,
    }


def officer_rows(case: Case, on_date: datetime.date) -> list[dict[str, Any]]:
    """The active officers, lead first, with the numbers of their certificates valid on the date (APL Art.
    52, 55: the certificate is shown and its number printed), those for the item's domain preferred."""
    officers = list(
        CaseOfficer.objects.filter(case=case, withdrawn_on__isnull=True)
        .select_related("person")
        .order_by("id")
    )
    officers.sort(key=lambda o: 0 if o.role == OfficerRole.LEAD else 1)
    certificates = (
        Certificate.objects.filter(holder_id__in=[o.person_id for o in officers])
        .prefetch_related("status_changes", "domains")
        .order_by("number")
    )
    by_holder: dict[int, list[Certificate]] = {}
    for certificate in certificates:
        if certificate_valid_on(certificate, on_date):
            by_holder.setdefault(certificate.holder_id, []).append(certificate)
    domain_id = case.item.domain_id
    result = []
    for officer in officers:
        held = by_holder.get(officer.person_id, [])
        for_domain = [c for c in held if any(d.pk == domain_id for d in c.domains.all())]
        result.append(
            {
                "name": officer.person.name,
                "role_label": str(officer.get_role_display()),
                "certificates": "、".join(c.number for c in (for_domain or held)),
            }
        )
    return result


def remedies(case: Case) -> dict[str, Any]:
    """APL Art. 59(5): the routes, bodies and time limits of review: reconsideration within 60 days to the
    county people's government (ARL 2023 Art. 20, 24), litigation within 6 months in the county people's
    court (ALL Art. 46, 18)."""
    county = county_of(case.agency).name
    body = _("%(county)s人民政府") % {"county": county}
    court = _("%(county)s人民法院") % {"county": county}
    text = _(
        "如不服本决定，可以在收到本决定书之日起%(days)d日内向%(body)s申请行政复议；"
        "或者在收到本决定书之日起%(months)d个月内依法向%(court)s提起行政诉讼。"
    ) % {"days": RECONSIDERATION_DAYS, "body": body, "months": LITIGATION_MONTHS, "court": court}
    return {
        "reconsideration_body": body,
        "reconsideration_days": RECONSIDERATION_DAYS,
        "litigation_court": court,
        "litigation_months": LITIGATION_MONTHS,
        "text": text,
    }


def payment(case: Case) -> dict[str, Any]:
    """APL Art. 67, 72: pay within 15 days at the designated bank (罚缴分离) with the payment code, else a
    surcharge of 3% of the fine per day, never more than the fine. Empty when no money is due (a warning)."""
    if (to_decimal(case.fine_amount) or 0) + (to_decimal(case.confiscation_amount) or 0) <= 0:
        return {}
    bank = getattr(settings, "ZHIFA_FINE_BANK", "") or DEFAULT_FINE_BANK
    notice = case.payment_notices.order_by("-issued_at", "-id").first()
    text = _(
        "当事人应当自收到本决定书之日起%(days)d日内，持本决定书或缴款通知书到%(bank)s缴纳罚没款，"
        "或者通过电子支付系统缴纳。到期不缴纳罚款的，每日按罚款数额的%(rate)d%%加处罚款，"
        "加处罚款的数额不超过罚款的数额（《行政处罚法》第六十七条、第七十二条）。"
    ) % {"days": PAYMENT_DAYS, "bank": bank, "rate": SURCHARGE_PERCENT}
    return {
        "bank": bank,
        "days": PAYMENT_DAYS,
        "code": notice.payment_code if notice else "",
        "due_on": date_text(notice.due_on) if notice else "",
        "text": text,
    }


def rights(case: Case) -> dict[str, Any]:
    """APL Art. 44-45, 63-64: the rights to state and defend (period: local setting) and, where the
    intended penalty qualifies, to ask for a hearing within 5 working days."""
    from zhifa.cases.settings_defaults import settings_for

    days = settings_for(case.agency)["statement_days"].as_int()
    lines = [
        _(
            "根据《行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。"
            "如需陈述、申辩，请于收到本告知书之日起%(days)d个工作日内提出，逾期视为放弃。"
        )
        % {"days": days}
    ]
    if case.hearing_offered:
        lines.append(
            _(
                "根据《行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求听证。"
                "如要求听证，请于收到本告知书之日起%(days)d个工作日内提出，逾期视为放弃。"
            )
            % {"days": HEARING_REQUEST_WORKING_DAYS}
        )
    return {
        "statement_days": days,
        "hearing": bool(case.hearing_offered),
        "hearing_days": HEARING_REQUEST_WORKING_DAYS,
        "lines": lines,
    }


def _case(case: Case, on_date: datetime.date) -> dict[str, Any]:
    agency = case.agency
    return {
        "agency_name": agency.name,
        "agency_short": agency.short_name,
        "county_name": county_of(agency).name,
        "case_code": case.code,
        "cause": case.title,
        "source_label": str(case.get_source_display()) if case.source else "",
        "source_note": case.source_note,
        "procedure_label": str(case.get_procedure_display()),
        "facts": case.facts,
        "place": case.address,
        "act_on": date_text(case.act_on),
        "act_time": date_text(case.act_on),
        "discovered_on": date_text(case.discovered_on),
        "filed_on": date_text(case.filed_on),
        "filing_number": case.filing_number,
        "outcome_label": str(case.get_outcome_display()) if case.outcome else "",
        "issued_on": on_date.isoformat(),
        "date_text": date_text(on_date),
        "seal": agency.name,
    }


def _parties(case: Case, on_date: datetime.date) -> dict[str, Any]:
    parties = [party_row(p) for p in case.parties.order_by("id")]
    return {"parties": parties, "party_names": "、".join(p["name"] for p in parties)}


def _basis(case: Case, on_date: datetime.date) -> dict[str, Any]:
    item = case.item
    return {"item_code": item.code, "item_name": item.name, "basis_text": item.basis_text}


def _intended(case: Case, on_date: datetime.date) -> dict[str, Any]:
    fine, confiscation = to_decimal(case.intended_fine), to_decimal(case.intended_confiscation)
    items = penalty_items(list(case.intended_types or []), fine, confiscation)
    return {
        "intended_types": list(case.intended_types or []),
        "intended_fine": f"{fine:.2f}" if fine is not None else "",
        "intended_items": items,
        "intended_penalty": "；".join(items),
    }


def _decided(case: Case, on_date: datetime.date) -> dict[str, Any]:
    fine, confiscation = to_decimal(case.fine_amount), to_decimal(case.confiscation_amount)
    items = penalty_items(list(case.penalty_types or []), fine, confiscation)
    return {
        "penalty_types": list(case.penalty_types or []),
        "fine_amount": f"{fine:.2f}" if fine is not None else "",
        "fine_text": money_text(fine),
        "confiscation_amount": f"{confiscation:.2f}" if confiscation is not None else "",
        "penalty_items": items,
        "penalty": "；".join(items),
        "decision_number": case.decision_number,
        "decided_on": date_text(case.decided_on),
    }


def _execution(case: Case, on_date: datetime.date) -> dict[str, Any]:
    due = (to_decimal(case.fine_amount) or 0) + (to_decimal(case.confiscation_amount) or 0)
    paid = to_decimal(case.paid_amount) or 0
    outstanding = max(due - paid, 0)
    return {
        "paid_amount": f"{paid:.2f}",
        "outstanding": money_text(to_decimal(outstanding)) if outstanding else "",
        "payment_due_on": date_text(case.payment_due_on),
        "served_on": date_text(case.served_on),
    }


SECTIONS: dict[str, Callable[[Case, datetime.date], dict[str, Any]]] = {
    "parties": _parties,
    "evidence": lambda case, on_date: {"evidence": rows.evidence_rows(case)},
    "basis": _basis,
    "intended": _intended,
    "decided": _decided,
    "execution": _execution,
    "officers": lambda case, on_date: {"officers": officer_rows(case, on_date)},
    "remedies": lambda case, on_date: {"remedies": remedies(case)},
    "payment": lambda case, on_date: {"payment": payment(case)},
    "rights": lambda case, on_date: {"rights": rights(case)},
    "statements": lambda case, on_date: {"statements": rows.statement_rows(case)},
    "hearing": lambda case, on_date: rows.hearing_fields(case),
    "review": lambda case, on_date: rows.review_fields(case),
    "discussion": lambda case, on_date: rows.discussion_fields(case),
    "extension": lambda case, on_date: rows.extension_fields(case),
    "transfer": lambda case, on_date: rows.transfer_fields(case),
    "payment_notice": lambda case, on_date: rows.payment_notice_fields(case),
}


def build_fields(
    case: Case, doc_type: str, extra: dict[str, Any] | None = None, *, on_date: datetime.date | None = None
) -> dict[str, Any]:
    """The content of a `doc_type` document of `case`: the case's own fields, the spec's sections, then
    `extra` (JSON-safe after `plain`: dates as 2026年7月1日). `extra` may add fields and replace derived
    ones except PROTECTED (issuer, party, officers, remedies); a protected key raises ValueError."""
    spec = spec_for(doc_type)
    day = on_date or datetime.date.today()
    fields: dict[str, Any] = {"doc_title": spec.title, **_case(case, day)}
    for section in spec.sections:
        fields.update(SECTIONS[section](case, day))
    for key, value in (extra or {}).items():
        if key in PROTECTED:
            raise ValueError(f"extra may not replace the derived field {key!r}")
        fields[str(key)] = plain(value)
    for alias, key in spec.aliases:
        if alias in (extra or {}) and key not in extra:
            fields[key] = iso_text(plain(extra[alias]))
    if "answers" in fields and "review_checks" in fields:
        fields["review_checks"] = checklist_rows(fields["answers"])
    return plain(fields)
