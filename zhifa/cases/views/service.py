"""Service pages of a case (/cases/<pk>/service/): record paper service with its proof, send an
electronic service link (APL Art. 61; CPL Art. 87-95).

The section is also part of the workspace (cases/ws_service.html with selectors.execution). A form that
succeeds goes back to the workspace; one with errors is shown again on the service page with every
message next to its field. The electronic link and code are shown once, in the answer to the sending
form, and stored nowhere in plain text (not even in a message cookie). Outsiders get a 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhifa.cases.models import Case
from zhifa.cases.policies import can_lead, can_work_on
from zhifa.cases.selectors.execution import service_context
from zhifa.cases.services.eservice import service_send_electronic
from zhifa.cases.services.service import PAPER_METHODS, ProofUpload, service_record
from zhifa.core.errors import ServiceError
from zhifa.org.forms.styled import StyledForm
from zhifa.org.scoping import get_visible_or_404

MAX_UPLOAD = 50 * 1024 * 1024


def case_or_404(request: HttpRequest, pk: int) -> Case:
    return get_visible_or_404(Case.objects.select_related("agency__region", "item"), request.user, pk=pk)


class _CaseForm(StyledForm):
    """A form whose document and party choices are the case's own."""

    document = forms.TypedChoiceField(label=gettext_lazy("送达文书"), coerce=int)
    party = forms.TypedChoiceField(label=gettext_lazy("受送达人"), coerce=int)

    def __init__(self, case: Case, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["document"].choices = [
            (d.pk, f"{d.title} {d.number}".strip()) for d in case.documents.filter(superseded_by__isnull=True)
        ]
        self.fields["party"].choices = [(p.pk, p.name) for p in case.parties.order_by("id")]

    def target(self) -> tuple[Any, Any]:
        data = self.cleaned_data
        return self.case.documents.get(pk=data["document"]), self.case.parties.get(pk=data["party"])


class ServiceRecordForm(_CaseForm):
    method = forms.ChoiceField(
        label=gettext_lazy("送达方式"), choices=[(m.value, m.label) for m in PAPER_METHODS]
    )
    recipient = forms.CharField(label=gettext_lazy("签收人"), max_length=50, required=False)
    served_at = forms.DateTimeField(
        label=gettext_lazy("送达时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    witness = forms.CharField(label=gettext_lazy("见证人"), max_length=100, required=False)
    place = forms.CharField(label=gettext_lazy("送达地点"), max_length=200, required=False)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)
    proof_file = forms.FileField(label=gettext_lazy("送达凭证文件"), required=False)
    proof_evidence = forms.TypedChoiceField(
        label=gettext_lazy("或选择已有证据"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, case: Case, *args: Any, **kwargs: Any) -> None:
        super().__init__(case, *args, **kwargs)
        self.fields["proof_evidence"].choices = [("", "—")] + [
            (e.pk, e.title) for e in case.evidence.order_by("-collected_at", "-id")[:50]
        ]

    def clean_proof_file(self) -> Any:
        upload = self.cleaned_data.get("proof_file")
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("送达凭证过大：最大%(mb)d MB。") % {"mb": MAX_UPLOAD // 2**20})
        return upload


class ElectronicForm(_CaseForm):
    pass


def _context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "case": case,
        "perms": {"can_work": can_work_on(user, case), "can_lead": can_lead(user, case)},
        **service_context(user, case),
        **extra,
    }


def _page(request: HttpRequest, case: Case, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "cases/ws_service_page.html", _context(request, case, **extra), status=status)


def _workspace(case: Case) -> HttpResponse:
    return redirect(reverse("case-detail", args=[case.pk]) + "#ws-service")


@login_required
@require_GET
def case_service_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The service section of one case on its own page."""
    return _page(request, case_or_404(request, pk))


@login_required
@require_POST
def case_service_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the paper service of a document on a party, with its proof (services.service_record)."""
    case = case_or_404(request, pk)
    form = ServiceRecordForm(case, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data.get("proof_file")
        proof: Any = ProofUpload(upload.name, upload.read()) if upload else data.get("proof_evidence")
        document, party = form.target()
        served_at: datetime.datetime = data["served_at"]
        try:
            service = service_record(
                actor=request.user,
                document=document,
                party=party,
                method=data["method"],
                recipient=data["recipient"],
                served_at=served_at,
                proof=proof,
                note=data["note"],
                witness=data["witness"],
                place=data["place"],
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("已登记：%(doc)s于%(at)s%(method)s给%(party)s，并生成送达回证。")
                % {
                    "doc": document.title,
                    "at": timezone.localtime(service.served_at).strftime("%Y-%m-%d %H:%M"),
                    "method": service.get_method_display(),
                    "party": party.name,
                },
            )
            return _workspace(case)
    return _page(request, case, status=400, record_form=form)


@login_required
@require_POST
def case_service_electronic(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a document electronically: the link and the code are shown once, here (services.
    service_send_electronic); the party's consent is required."""
    case = case_or_404(request, pk)
    form = ElectronicForm(case, request.POST)
    if form.is_valid():
        document, party = form.target()
        try:
            issued = service_send_electronic(actor=request.user, document=document, party=party)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            response = _page(request, case, issued=issued, issued_party=party, issued_document=document)
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, case, status=400, electronic_form=form)
