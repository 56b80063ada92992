"""The draft of a publication: what the public would see of a decided case, worked out from the case.

Collect once, use many (DESIGN.md): the decision letter as issued (its stored fields, rendered by the same
template as the document) is the text; the case's party records say whose names, addresses and numbers
to mask. Nothing here writes; `services.publication_publish` stores what the reviewer approved.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from zhifa.cases.documents.render import render_html
from zhifa.cases.models import Case, CaseDocument, DocType, Outcome, PartyKind
from zhifa.cases.settings_defaults import settings_for
from zhifa.core.calendar import Deadline
from zhifa.disclosure import rules
from zhifa.disclosure.models import PartyKind as PublicPartyKind
from zhifa.disclosure.redaction import Redacted, mask_person_name, redact

# The decision letter of each publishable outcome.
DECISION_DOCUMENTS = {
    Outcome.PENALTY: DocType.PENALTY_DECISION,
    Outcome.NO_PENALTY: DocType.NO_PENALTY_DECISION,
    Outcome.RECTIFICATION: DocType.RECTIFICATION_ORDER,
}
_BLOCK_END = re.compile(r"</(p|div|h\d|li|tr|table|section|header|footer)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_STYLE = re.compile(r"<(style|script|title)\b.*?</\1>", re.IGNORECASE | re.DOTALL)


@dataclass
class Draft:
    """A decided case as it would be published; `original` and `persons` are for staff eyes only."""

    case: Case
    duty: rules.Duty
    due: Deadline | None
    document: CaseDocument | None
    original: str
    redacted: Redacted
    public: dict[str, Any] = field(default_factory=dict)
    persons: list[str] = field(default_factory=list)


def html_to_text(html: str) -> str:
    """The text of a rendered document: one line per block, no markup, no repeated blank lines."""
    text = _STYLE.sub("", html)
    text = _BLOCK_END.sub("\n", text)
    text = strip_tags(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def decision_document(case: Case) -> CaseDocument | None:
    """The case's current decision letter (a corrected one replaces the earlier), or None."""
    doc_type = DECISION_DOCUMENTS.get(case.outcome)
    if doc_type is None:
        return None
    return (
        CaseDocument.objects.filter(case=case, doc_type=doc_type, superseded_by__isnull=True)
        .order_by("-issued_on", "-id")
        .first()
    )


def decision_day(case: Case, document: CaseDocument | None) -> datetime.date | None:
    """The day the decision was made. A rectification order (责令改正) is an enforcement decision
    published within 20 working days (GO118 (六)) but the engine records no decision date for it: its day
    is the day the order was issued."""
    if case.decided_on is not None:
        return case.decided_on
    if case.outcome == Outcome.RECTIFICATION and document is not None:
        return document.issued_on
    return None


def _party_minor(case: Case, parties: list) -> bool:
    on_date = case.decided_on or datetime.date.today()
    return any(p.kind == PartyKind.PERSON and rules.is_minor(p.birth_date, on_date) for p in parties)


def duty_for(case: Case, parties: list | None = None) -> rules.Duty:
    """Whether (and as what) the law asks this decided case to be published."""
    parties = list(case.parties.all()) if parties is None else parties
    return rules.publication_duty(
        procedure=case.procedure,
        outcome=case.outcome,
        penalty_types=list(case.penalty_types or []),
        party_minor=_party_minor(case, parties),
    )


def _penalty_text(case: Case) -> str:
    if case.outcome != Outcome.PENALTY:
        return str(case.get_outcome_display())
    parts = []
    for kind in case.penalty_types or []:
        if kind == "罚款" and case.fine_amount is not None:
            parts.append(_("罚款人民币%(amount)s元") % {"amount": _amount(case.fine_amount)})
        elif kind.startswith("没收") and case.confiscation_amount:
            parts.append(f"{kind}{_amount(case.confiscation_amount)}元")
        else:
            parts.append(kind)
    return "；".join(parts)


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


@dataclass(frozen=True)
class Masking:
    """Whose names and addresses to mask in a case's publication and what must stay visible."""

    persons: list[str]
    addresses: list[str]
    keep: list[str]
    mask_party: bool
    settings: dict[str, Any]


def masking_for(case: Case, parties: list, document: CaseDocument | None = None) -> Masking:
    """Natural persons (parties, legal representatives) and their addresses are masked; organisations,
    the agency and the officers printed on `document` stay (ZJ-PUB Art. 5-8; APL Art. 50, 52, 55). The
    punished person's own name is masked unless the agency's setting says otherwise (LAW.md settings)."""
    local = settings_for(case.agency)
    mask_party = bool(int(local[rules.SETTING_MASK_PARTY].value))
    persons: list[str] = []
    addresses: list[str] = []
    keep: list[str] = [case.agency.name]
    # Officers act in public and show their certificates (APL Art. 52, 55; GO118 (五) 亮证执法): their
    # names and certificate numbers printed on the decision stay visible.
    for officer in (document.fields.get("officers") or []) if document is not None else []:
        if isinstance(officer, dict):
            keep.append(str(officer.get("name") or ""))
            keep.extend(n for n in str(officer.get("certificates") or "").split("、") if n)
    keep = [k for k in keep if k]
    for party in parties:
        if party.kind == PartyKind.PERSON:
            if mask_party:
                persons.append(party.name)
            addresses.append(party.address)
        else:
            keep.extend(filter(None, [party.name, party.id_number]))
            if party.legal_representative:
                persons.append(party.legal_representative)
    if not mask_party:
        keep.extend(p.name for p in parties if p.kind == PartyKind.PERSON)
    return Masking(persons, addresses, keep, mask_party, local)


def build_draft(case: Case, *, extra_masks: list[str] | tuple[str, ...] = ()) -> Draft:
    """The publication of `case` as it would be published now, with the reviewer's `extra_masks`.

    Natural persons (parties, legal representatives) are masked everywhere in the text, with their
    addresses and numbers; organisations keep their names and USCC (ZJ-PUB Art. 5-8; APL Art. 50). The
    punished natural person's own name is masked too unless the agency's setting says otherwise (LAW.md
    settings: masked by default).
    """
    parties = list(case.parties.order_by("id"))
    duty = duty_for(case, parties)
    document = decision_document(case)
    day = decision_day(case, document)
    due = rules.publication_due(duty.kind, day) if duty.required and day else None
    original = ""
    if document is not None:
        html = render_html(
            doc_type=document.doc_type, fields=document.fields, number=document.number, pdf=True
        )
        original = html_to_text(html)
    masking = masking_for(case, parties, document)
    persons, addresses, keep, mask_party = (
        masking.persons,
        masking.addresses,
        masking.keep,
        masking.mask_party,
    )
    redacted = redact(original, persons=persons, keep=keep, extra=extra_masks, addresses=addresses)

    first = parties[0] if parties else None
    person = first is not None and first.kind == PartyKind.PERSON
    if first is None:
        party_name = ""
    elif person:
        party_name = mask_person_name(first.name) if mask_party else first.name
    else:
        party_name = first.name
    for name in extra_masks:  # the reviewer's masks apply to the summary too ("mask more, never less")
        party_name = party_name.replace(name, "＊" * len(name)) if name else party_name
    title = redact(case.title, persons=persons, keep=keep, extra=extra_masks, addresses=addresses).text
    public = {
        "kind": duty.kind,
        "agency": case.agency,
        "region": case.region,
        "adcode": case.region.adcode,
        "domain_id": case.item.domain_id if case.item_id else None,
        "item": case.item,
        "decision_number": case.decision_number or (document.number if document else ""),
        "decided_on": day,
        "title": title,
        "party_kind": PublicPartyKind.PERSON if person else PublicPartyKind.ORGANISATION,
        "party_name": party_name,
        "party_uscc": "" if person or first is None else first.id_number,
        "violation": case.item.name if case.item_id else "",
        "penalty_types": list(case.penalty_types or []),
        "penalty_text": _penalty_text(case),
        "fine_amount": case.fine_amount if case.outcome == Outcome.PENALTY else None,
        "body": redacted.text,
    }
    years = rules.publication_years(masking.settings, natural_person=person)
    public["years"] = years
    return Draft(
        case=case,
        duty=duty,
        due=due,
        document=document,
        original=original,
        redacted=redacted,
        public=public,
        persons=persons,
    )
