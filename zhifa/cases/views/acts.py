"""The workspace's sections for the acts of investigation: each post parses its form, calls the service
and renders the section again (htmx) or goes back to the workspace (plain post).

Thin views: every rule is the services'. The case is fetched through org.scoping (outsiders: 404, never
403); a row named in the URL must belong to that case (else 404). A refused act shows the services'
Chinese messages next to their fields: in the section for htmx (status 200, so that htmx swaps it), or
in a page holding the section for a plain post (400, 403 or 409). The evidence file is served only to
those who see the case, after its SHA-256 is checked against the record.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhifa.cases import forms_acts as f
from zhifa.cases.documents.storage import absolute
from zhifa.cases.models import Case, Evidence
from zhifa.cases.selectors import acts as selectors
from zhifa.cases.services import acts as acts_services
from zhifa.cases.services import evidence as evidence_services
from zhifa.cases.services import measures, officers, parties, statements
from zhifa.cases.services.evidence import EvidenceUpload, max_bytes
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.scoping import get_visible_or_404

SECTIONS: dict[str, tuple[Callable[..., dict[str, Any]], str]] = {
    "officers": (selectors.officers_context, "cases/ws_officers.html"),
    "parties": (selectors.parties_context, "cases/ws_parties.html"),
    "evidence": (selectors.evidence_context, "cases/ws_evidence.html"),
    "statements": (selectors.statements_context, "cases/ws_statements.html"),
    "extensions": (selectors.extensions_context, "cases/ws_extensions.html"),
    "measures": (selectors.measures_context, "cases/ws_measures.html"),
}
STATUS = {ErrorCode.NOT_ALLOWED: 403, ErrorCode.CONFLICT: 409}
CHUNK = 1024 * 1024
INLINE_TYPES = ("image/", "application/pdf", "audio/", "video/")


def case_for(user: Any, pk: int) -> Case:
    return get_visible_or_404(
        Case.objects.select_related("item__domain", "agency__region", "region"), user, pk=pk
    )


def render_section(
    request: HttpRequest,
    case: Case,
    section: str,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    notice: str = "",
    error: str = "",
    **kwargs: Any,
) -> HttpResponse:
    """The section alone (htmx) or inside a page with a way back to the workspace."""
    selector, template = SECTIONS[section]
    context = {
        "case": case,
        "perms": selectors.acts_perms(request.user, case),
        "acts_notice": notice,
        "acts_error": error,
        **selector(request.user, case, bound=bound, **kwargs),
    }
    if getattr(request, "htmx", False):
        response = render(request, template, context)
        if notice:
            response["HX-Trigger"] = "case-changed"  # other sections (time limits, actions) may refresh
        return response
    context["section_template"] = template
    return render(request, "cases/ws_acts_page.html", context, status=status)


# --- the acts ------------------------------------------------------------------------------------------


def _upload(file: Any, field: str) -> EvidenceUpload | None:
    """The uploaded file's bytes, refused before reading when it is over the limit."""
    if not file:
        return None
    if file.size > max_bytes():
        raise ServiceError(
            ErrorCode.INVALID,
            _("“%(name)s”过大：证据文件最大%(mb)d MB。")
            % {"name": file.name, "mb": max_bytes() // 1024 // 1024},
            field=field,
        )
    return EvidenceUpload(file.name[-200:], file.read(), getattr(file, "content_type", "") or "")


@dataclass(frozen=True)
class Act:
    """One act of a section: its form (fields named as the service's keyword arguments), the service,
    the success message, and for an act on a row of the case, where to find it and its argument name."""

    section: str
    prefix: str  # the form prefix; "{id}" is the row's id
    form: Callable[[Case, Any, Any, str], forms.Form]
    service: Callable[..., Any]
    done: Any
    row: Callable[[Case], Any] | None = None  # the queryset the row is looked up in (404 otherwise)
    row_kw: str = ""
    adapt: Callable[[dict[str, Any], Case], dict[str, Any]] | None = None

    def call(self, user: Any, case: Case, row: Any, cleaned: dict[str, Any]) -> Any:
        data = self.adapt(dict(cleaned), case) if self.adapt else dict(cleaned)
        data[self.row_kw or "case"] = row if self.row_kw else case
        return self.service(actor=user, **data)


def _plain(cls: type[forms.Form]) -> Callable[[Case, Any, Any, str], forms.Form]:
    return lambda case, data, files, prefix: cls(data, files, prefix=prefix)


def _with_officers(cls: type[forms.Form]) -> Callable[[Case, Any, Any, str], forms.Form]:
    def build(case: Case, data: Any, files: Any, prefix: str) -> forms.Form:
        return cls(
            data, files, prefix=prefix, officers=selectors.officer_choices(selectors.active_officers(case))
        )

    return build


def _officer_form(case: Case, data: Any, files: Any, prefix: str) -> forms.Form:
    return f.OfficerAssignForm(data, prefix=prefix, people=selectors.assignable_people(case))


def _recusal_form(case: Case, data: Any, files: Any, prefix: str) -> forms.Form:
    return f.RecusalApplyForm(data, prefix=prefix, people=officers.recusable(case))


def _recusal(d: dict[str, Any], case: Case) -> dict[str, Any]:
    d["person"] = next((p for p in officers.recusable(case) if str(p.pk) == d["person"]), None)
    return d


def _party_form(case: Case, data: Any, files: Any, prefix: str) -> forms.Form:
    return f.PartyForm(data, files, prefix=prefix, evidence=case.evidence.all())


def _party(d: dict[str, Any], case: Case) -> dict[str, Any]:
    d.pop("version", None)
    d["consent_upload"] = _upload(d.get("consent_upload"), "consent_upload")
    return {"data": parties.PartyInput(**d)}


def _party_update(d: dict[str, Any], case: Case) -> dict[str, Any]:
    return {**_party(dict(d), case), "version": d.get("version") or 0}


def _evidence(d: dict[str, Any], case: Case) -> dict[str, Any]:
    d["upload"] = _upload(d.pop("file", None), "file")
    return d


def _statement_form(case: Case, data: Any, files: Any, prefix: str) -> forms.Form:
    return f.StatementForm(data, prefix=prefix, hearing_offered=case.hearing_offered)


def _statement(*, kind: str, **kwargs: Any) -> Any:
    """One form for what the party says: statement (Art. 45), waiver (Art. 62), hearing request or waiver."""
    service = {
        "statement": statements.statement_record,
        "waiver": statements.statement_waive,
        "hearing_request": statements.hearing_request,
    }.get(kind, statements.hearing_waiver)
    return service(**kwargs)


def _extension_form(case: Case, data: Any, files: Any, prefix: str) -> forms.Form:
    return f.ExtensionForm(data, prefix=prefix, discussions=case.discussions.all())


ACTS: dict[str, Act] = {
    "officer_assign": Act(
        "officers", "officer", _officer_form, officers.case_officer_assign, gettext_lazy("已指派承办人员。")
    ),
    "officer_declare": Act(
        "officers",
        "declare-{id}",
        _plain(forms.Form),
        officers.case_officer_declare,
        gettext_lazy("已声明无应当回避情形。"),
        lambda c: c.officers.all(),
        "officer",
    ),
    "officer_withdraw": Act(
        "officers",
        "withdraw-{id}",
        _plain(f.ReasonForm),
        officers.case_officer_withdraw,
        gettext_lazy("已调出承办人员。"),
        lambda c: c.officers.all(),
        "officer",
    ),
    "recusal_apply": Act(
        "officers",
        "recusal",
        _recusal_form,
        officers.recusal_apply,
        gettext_lazy("已登记回避申请，待负责人决定。"),
        adapt=_recusal,
    ),
    "recusal_decide": Act(
        "officers",
        "decide-{id}",
        _plain(f.RecusalDecideForm),
        officers.recusal_decide,
        gettext_lazy("已作出回避决定。"),
        lambda c: c.recusals.all(),
        "recusal",
    ),
    "party_add": Act(
        "parties", "party", _party_form, parties.party_add, gettext_lazy("已登记当事人。"), adapt=_party
    ),
    "party_update": Act(
        "parties",
        "party-{id}",
        _party_form,
        parties.party_update,
        gettext_lazy("已修改当事人信息。"),
        lambda c: c.parties.all(),
        "party",
        _party_update,
    ),
    "evidence_add": Act(
        "evidence",
        "evidence",
        _with_officers(f.EvidenceForm),
        evidence_services.evidence_add,
        gettext_lazy("已登记证据。"),
        adapt=_evidence,
    ),
    "evidence_remove": Act(
        "evidence",
        "remove-{id}",
        _plain(f.ReasonForm),
        evidence_services.evidence_remove,
        gettext_lazy("已删除证据。"),
        lambda c: c.evidence.all(),
        "evidence",
    ),
    "record_inspection": Act(
        "evidence",
        "inspection",
        _with_officers(f.InspectionForm),
        evidence_services.record_inspection,
        gettext_lazy("已制作现场检查笔录。"),
    ),
    "record_interview": Act(
        "evidence",
        "interview",
        _with_officers(f.InterviewForm),
        evidence_services.record_interview,
        gettext_lazy("已制作询问笔录。"),
    ),
    "statement_add": Act("statements", "statement", _statement_form, _statement, gettext_lazy("已登记。")),
    "statement_reexamine": Act(
        "statements",
        "reexamine-{id}",
        _plain(f.ReexamineForm),
        statements.statement_reexamine,
        gettext_lazy("已登记复核意见。"),
        lambda c: c.statements.all(),
        "statement",
    ),
    "hearing_record": Act(
        "statements",
        "hearing-{id}",
        _plain(f.HearingRecordForm),
        statements.hearing_record,
        gettext_lazy("已登记听证结果。"),
        lambda c: c.hearings.all(),
        "hearing",
    ),
    "case_extend": Act(
        "extensions",
        "extension",
        _extension_form,
        acts_services.case_extend,
        gettext_lazy("已批准延长办案期限。"),
    ),
    "measure_start": Act(
        "measures",
        "measure",
        _with_officers(f.MeasureStartForm),
        measures.measure_start,
        gettext_lazy("已采取强制措施。"),
    ),
    "measure_extend": Act(
        "measures",
        "mextend-{id}",
        _plain(f.MeasureExtendForm),
        measures.measure_extend,
        gettext_lazy("已延长强制措施期限。"),
        lambda c: c.measures.all(),
        "measure",
    ),
    "measure_lift": Act(
        "measures",
        "lift-{id}",
        _plain(f.MeasureLiftForm),
        measures.measure_lift,
        gettext_lazy("已解除强制措施。"),
        lambda c: c.measures.all(),
        "measure",
    ),
    "remedy_start": Act(
        "measures",
        "remedy",
        _plain(f.RemedyStartForm),
        acts_services.remedy_start,
        gettext_lazy("已登记复议诉讼。"),
    ),
    "remedy_end": Act(
        "measures",
        "rend-{id}",
        _plain(f.RemedyEndForm),
        acts_services.remedy_end,
        gettext_lazy("已登记复议诉讼结果。"),
        lambda c: c.remedies.all(),
        "remedy",
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str, target: int | None = None) -> HttpResponse:
    """Post one act of the workspace (the URL names the action, see urls_acts)."""
    case = case_for(request.user, pk)
    spec = ACTS[action]
    row = get_object_or_404(spec.row(case), pk=target) if spec.row is not None else None
    prefix = spec.prefix.format(id=target)
    form = spec.form(case, request.POST, request.FILES, prefix)
    status, error = 400, ""
    if form.is_valid():
        try:
            spec.call(request.user, case, row, form.cleaned_data)
        except ServiceError as exc:
            form.add_service_error(exc)
            status = STATUS.get(exc.code, 400)
            if exc.code == ErrorCode.NOT_ALLOWED:  # the form may not even be shown to this user
                error = exc.message
        else:
            fresh = case_for(request.user, pk)
            if getattr(request, "htmx", False):
                return render_section(request, fresh, spec.section, notice=str(spec.done))
            messages.success(request, str(spec.done))
            return redirect(reverse("case-workspace", args=[case.pk]) + f"#ws-{spec.section}")
    extra = {"editing": target} if action == "party_update" else {}
    return render_section(
        request, case, spec.section, bound={prefix: form}, status=status, error=error, **extra
    )


@login_required
@require_GET
def section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """One section alone (htmx refresh) or in its page; ?edit=<party id> opens a party's form."""
    if section not in SECTIONS:
        raise Http404
    case = case_for(request.user, pk)
    extra: dict[str, Any] = {}
    if section == "parties" and request.GET.get("edit", "").isdigit():
        extra["editing"] = get_object_or_404(case.parties.all(), pk=int(request.GET["edit"])).pk
    return render_section(request, case, section, **extra)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """The evidence file, for those who see the case (404 otherwise), after its SHA-256 is checked: a file
    changed on disk is not served as evidence (409)."""
    case = case_for(request.user, pk)
    evidence = get_object_or_404(Evidence.objects.filter(case=case).exclude(file=""), pk=evidence_id)
    try:
        path = absolute(evidence.file)
    except ValueError:
        raise Http404 from None
    if not path.is_file():
        raise Http404
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    if evidence.sha256 and digest.hexdigest() != evidence.sha256:
        return HttpResponse(
            _("文件校验失败：文件的SHA-256与登记时不一致，可能已被篡改，请联系管理员。"),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    content_type = evidence.content_type or "application/octet-stream"
    inline = content_type.startswith(INLINE_TYPES)
    name = evidence.original_name or f"evidence-{evidence.pk}{path.suffix}"
    response = FileResponse(
        path.open("rb"), content_type=content_type, as_attachment=not inline, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    return response
