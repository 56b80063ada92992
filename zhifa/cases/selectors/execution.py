"""Reading service and payment for the case workspace: `service_context` and `payment_context`.

Both take a case the caller has already fetched through org.scoping (the workspace and the service and
payment pages use get_visible_or_404); what the user may do is answered by cases.policies and, for
cash on the spot, by the same rule the service applies (services.payment.cash_problems).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.cases import deadlines
from zhifa.cases.models import (
    Case,
    CaseDocument,
    CaseState,
    DocType,
    Outcome,
    Party,
    Payment,
    PaymentNotice,
    Procedure,
    Service,
    ServiceMethod,
)
from zhifa.cases.policies import can_work_on
from zhifa.cases.services.eservice import link_problem
from zhifa.cases.services.payment import (
    CASH_GROUNDS,
    PAYABLE_STATES,
    cash_problems,
    paused_intervals,
    principal,
    surcharge_on,
)
from zhifa.cases.services.service import PAPER_METHODS, PUBLIC_NOTICE_DAYS

# The documents served on the party (the others are internal, or go to another agency).
SERVABLE = (
    DocType.RECTIFICATION_ORDER,
    DocType.REMINDER_LETTER,
    DocType.NOTICE_OF_INTENDED_PENALTY,
    DocType.HEARING_NOTICE,
    DocType.PENALTY_DECISION,
    DocType.NO_PENALTY_DECISION,
    DocType.ON_THE_SPOT_DECISION,
    DocType.PAYMENT_NOTICE,
    DocType.ENFORCEMENT_REMINDER,
)
SERVICE_ARTICLES = _("《行政处罚法》第六十一条；《民事诉讼法》第八十七条至第九十五条")
PAYMENT_ARTICLES = _("《行政处罚法》第六十七条至第七十三条")


@dataclass
class ServiceCell:
    """One document and one party: served (with how and when), a pending link, or not yet served."""

    party: Party
    served: Service | None = None
    pending: Service | None = None
    pending_problem: str | None = None

    @property
    def status(self) -> str:
        if self.served is not None:
            return "served"
        return "link" if self.pending is not None and not self.pending_problem else "pending"


@dataclass
class DocumentService:
    document: CaseDocument
    cells: list[ServiceCell]

    @property
    def complete(self) -> bool:
        return all(cell.served is not None for cell in self.cells)


@dataclass
class ServiceView:
    documents: list[DocumentService]
    parties: list[dict[str, Any]]
    history: list[Service]
    methods: list[tuple[str, str]]
    evidence: list[Any]
    can_work: bool
    decision_due: Any = None
    articles: Any = SERVICE_ARTICLES
    public_notice_days: int = PUBLIC_NOTICE_DAYS

    @property
    def pending(self) -> list[DocumentService]:
        return [d for d in self.documents if not d.complete]

    @property
    def any_electronic(self) -> bool:
        """Some party consented to electronic service (APL Art. 61 para 2)."""
        return any(p["electronic"] for p in self.parties)

    @property
    def default_document(self) -> int | None:
        """The first document not yet served on every party (the forms preselect it)."""
        pending = self.pending
        return pending[0].document.pk if pending else None


def _consent(party: Party) -> dict[str, Any]:
    problem = None
    if not party.e_service_consent:
        problem = _("未同意电子送达")
    elif party.e_service_consent_evidence_id is None:
        problem = _("未上传送达地址确认书")
    elif not party.e_service_address.strip():
        problem = _("未填写电子送达地址")
    return {"party": party, "electronic": problem is None, "problem": problem}


def service_context(user: Any, case: Case) -> dict[str, Any]:
    """The service section: each servable document by party (served, link sent, pending), the parties'
    consent to electronic service, the record of services and the decision's service deadline."""
    parties = list(case.parties.order_by("id"))
    documents = list(
        case.documents.filter(doc_type__in=SERVABLE, superseded_by__isnull=True).order_by("issued_on", "id")
    )
    services = list(
        case.services.select_related("document", "party", "proof", "created_by__person").order_by(
            "created_at", "id"
        )
    )
    now = timezone.now()
    rows = []
    for document in documents:
        cells = []
        for party in parties:
            mine = [s for s in services if s.document_id == document.pk and s.party_id == party.pk]
            served = next((s for s in mine if s.served_at is not None), None)
            pending = next(
                (s for s in reversed(mine) if s.method == ServiceMethod.ELECTRONIC and s.served_at is None),
                None,
            )
            problem = link_problem(pending, now) if pending is not None else None
            cells.append(ServiceCell(party, served, pending, problem))
        rows.append(DocumentService(document, cells))
    decision_due = None
    if case.decided_on is not None and case.procedure == Procedure.GENERAL:
        decision_due = deadlines.describe(
            "service",
            _("送达决定书"),
            deadlines.service_due(case.decided_on),
            timezone.localdate(),
            done=case.served_on is not None,
        )
    view = ServiceView(
        documents=rows,
        parties=[_consent(p) for p in parties],
        history=[s for s in services if s.served_at is not None or s.method == ServiceMethod.ELECTRONIC],
        methods=[(m.value, str(m.label)) for m in PAPER_METHODS],
        evidence=list(case.evidence.order_by("-collected_at", "-id")[:50]),
        can_work=can_work_on(user, case) and case.is_open,
        decision_due=decision_due,
    )
    return {"service": view}


@dataclass
class PaymentView:
    """What the party owes, has paid and owes by today, with the surcharge (APL Art. 72-73)."""

    applies: bool
    fine: Decimal = Decimal(0)
    confiscation: Decimal = Decimal(0)
    principal: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    due_on: datetime.date | None = None
    as_of: datetime.date | None = None
    days_late: int = 0
    surcharge_days: int = 0
    surcharge: Decimal = Decimal(0)
    surcharge_capped: bool = False
    paused: list[dict[str, Any]] = field(default_factory=list)
    notice: PaymentNotice | None = None
    payments: list[Payment] = field(default_factory=list)
    can_issue_notice: bool = False
    can_record: bool = False
    cash_form: bool = False
    cash_grounds: list[tuple[str, str]] = field(default_factory=list)
    cash_problem: str | None = None
    articles: Any = PAYMENT_ARTICLES

    @property
    def total_due(self) -> Decimal:
        return self.principal + self.surcharge

    @property
    def outstanding(self) -> Decimal:
        return max(self.total_due - self.paid, Decimal(0))


def _grounds() -> list[tuple[str, str]]:
    labels = {
        "": _("罚款100元以下（第六十八条第（一）项）"),
        "hard_to_collect": _("不当场收缴事后难以执行（第六十八条第（二）项）"),
        "remote": _("边远、水上、交通不便地区，当事人提出（第六十九条）"),
    }
    return [(key, str(labels[key])) for key in CASH_GROUNDS]


def payment_context(user: Any, case: Case, today: datetime.date | None = None) -> dict[str, Any]:
    """The payment section: notice, payments, amount due, paid, due date, days late and the surcharge to
    date (3% of the fine per day, capped at the fine, paused during reconsideration or litigation)."""
    amount = principal(case)
    if case.outcome != Outcome.PENALTY or amount <= 0:
        return {"payment": PaymentView(applies=False)}
    today = today or timezone.localdate()
    payments = list(case.payments.select_related("recorded_by__person").order_by("paid_on", "id"))
    settled = case.state not in (CaseState.DECIDED, *PAYABLE_STATES)
    last_paid = case.payments.aggregate(last=Max("paid_on"))["last"]
    as_of = last_paid if settled and last_paid else today
    paused = paused_intervals(case)
    due_on = case.payment_due_on
    view = PaymentView(
        applies=True,
        fine=case.fine_amount or Decimal(0),
        confiscation=case.confiscation_amount or Decimal(0),
        principal=amount,
        paid=case.paid_amount,
        due_on=due_on,
        as_of=as_of,
        notice=case.payment_notices.order_by("-issued_at").first(),
        payments=payments,
        paused=[
            {"remedy": r, "label": r.get_kind_display()} for r in case.remedies.order_by("started_on", "id")
        ],
    )
    if due_on is not None:
        view.days_late = max((as_of - due_on).days, 0)
        view.surcharge_days = deadlines.surcharge_days(due_on=due_on, on_date=as_of, paused=paused)
        view.surcharge = surcharge_on(case, as_of)
        view.surcharge_capped = view.fine > 0 and view.surcharge >= view.fine
    worker = can_work_on(user, case) and case.state in PAYABLE_STATES
    view.can_issue_notice = worker and view.notice is None
    view.can_record = worker
    if worker and case.procedure == Procedure.SIMPLIFIED:
        view.cash_form = True
        view.cash_grounds = _grounds()
        small = cash_problems(case, ground="")
        view.cash_problem = small[0] if small else None
    return {"payment": view}
