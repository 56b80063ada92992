"""Payment pages (罚缴分离, APL Art. 67-73): the payment notice, the bank's confirmation entered by hand,
cash on the spot where the law allows it, and the import of the bank's file.

- /cases/<pk>/payment/ (and the workspace section cases/ws_payment.html): notice, payments, surcharge;
- /cases/payments/import/: upload -> preview with every problem by row and column -> confirm, for team
  leaders and administrators; the upload waits under MEDIA_ROOT/imports by a random token kept in the
  session, exactly as the organisation imports (zhifa.org.views.imports, whose helpers are reused).

The cash form is shown only for simplified-procedure cases; the service refuses everything else with the
article, so no page lets an officer mark a general-procedure fine as received. Outsiders get a 404.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.models import Case
from zhifa.cases.payment_import import COLUMNS, may_import, payment_import
from zhifa.cases.policies import can_lead, can_work_on
from zhifa.cases.selectors.execution import payment_context
from zhifa.cases.services.payment import (
    CASH_GROUNDS,
    payment_notice_issue,
    payment_record_bank,
    payment_record_cash,
)
from zhifa.cases.views.service import case_or_404
from zhifa.core.errors import ServiceError
from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.org.imports.common import MAX_TABLE_BYTES, extension
from zhifa.org.views import imports as org_imports

IMPORT_KIND = org_imports.ImportKind(
    "payments",
    gettext_lazy("银行缴款文件导入"),
    gettext_lazy("导入代收银行的缴款确认文件（.xlsx 或 UTF-8/GBK 编码的 .csv），校验无误后一次性入账。"),
    payment_import,
    ("xlsx", "csv"),
    MAX_TABLE_BYTES,
    COLUMNS,
    "payment-import",
)


class BankForm(StyledForm):
    payment_code = forms.CharField(label=gettext_lazy("缴款码"), max_length=24, required=False)
    amount = forms.CharField(label=gettext_lazy("金额（元）"), max_length=20)
    paid_on = forms.DateField(label=gettext_lazy("缴款日期"), widget=DateInput())
    bank_reference = forms.CharField(label=gettext_lazy("银行流水号"), max_length=64)
    receipt_number = forms.CharField(label=gettext_lazy("票据号码"), max_length=40, required=False)


class CashForm(StyledForm):
    amount = forms.CharField(label=gettext_lazy("金额（元）"), max_length=20)
    receipt_number = forms.CharField(label=gettext_lazy("专用票据号码"), max_length=40)
    ground = forms.ChoiceField(
        label=gettext_lazy("当场收缴的情形"), choices=[(k, k) for k in CASH_GROUNDS], required=False
    )
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=300, required=False)


def _page(request: HttpRequest, case: Case, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    context = {
        "case": case,
        "perms": {"can_work": can_work_on(user, case), "can_lead": can_lead(user, case)},
        **payment_context(user, case),
        **extra,
    }
    return render(request, "cases/ws_payment_page.html", context, status=status)


def _workspace(case: Case) -> HttpResponse:
    return redirect(reverse("case-detail", args=[case.pk]) + "#ws-payment")


@login_required
@require_GET
def case_payment_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The payment section of one case on its own page."""
    return _page(request, case_or_404(request, pk))


@login_required
@require_POST
def case_payment_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the payment notice with the non-tax payment code (APL Art. 67)."""
    case = case_or_404(request, pk)
    try:
        notice = payment_notice_issue(actor=request.user, case=case)
    except ServiceError as exc:
        return _page(request, case, status=400, notice_error=exc.message)
    messages.success(
        request,
        _("已开具缴款通知书：缴款码%(code)s，应缴%(amount)s元，缴款期限%(due)s。")
        % {"code": notice.payment_code, "amount": notice.amount, "due": notice.due_on.isoformat()},
    )
    return _workspace(case)


@login_required
@require_POST
def case_payment_bank(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the collecting bank's confirmation of a payment (APL Art. 67)."""
    case = case_or_404(request, pk)
    form = BankForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_record_bank(
                actor=request.user,
                case=case,
                payment_code=data["payment_code"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                bank_reference=data["bank_reference"],
                receipt_number=data["receipt_number"],
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("已登记银行缴款%(amount)s元（流水号%(ref)s）。")
                % {"amount": payment.amount, "ref": payment.bank_reference},
            )
            return _workspace(case)
    return _page(request, case, status=400, bank_form=form)


@login_required
@require_POST
def case_payment_cash(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a fine collected on the spot, only where APL Art. 68-69 allow it (the service decides)."""
    case = case_or_404(request, pk)
    form = CashForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            receipt = payment_record_cash(
                actor=request.user,
                case=case,
                amount=data["amount"],
                receipt_number=data["receipt_number"],
                reason=data["reason"],
                ground=data["ground"],
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _(
                    "已登记当场收缴%(amount)s元（票据号%(receipt)s）。请于%(day)s前将罚款交至行政机关，"
                    "行政机关在二日内缴付指定银行（《行政处罚法》第七十一条）。"
                )
                % {
                    "amount": receipt.payment.amount,
                    "receipt": receipt.payment.receipt_number,
                    "day": receipt.hand_in_by.isoformat(),
                },
            )
            return _workspace(case)
    return _page(request, case, status=400, cash_form=form)


def _import_render(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("form", org_imports.UploadForm())
    return render(request, "cases/payment_import.html", {"kind": IMPORT_KIND, **context}, status=status)


def _import_upload(request: HttpRequest) -> HttpResponse:
    form = org_imports.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_render(request, 400, form=form)
    upload = form.cleaned_data["file"]
    filename = Path(upload.name or "").name
    if extension(filename) not in IMPORT_KIND.extensions:
        form.add_error("file", _("不支持的文件类型，请上传 .xlsx 或 .csv 文件。"))
        return _import_render(request, 400, form=form)
    if upload.size > IMPORT_KIND.max_bytes:
        form.add_error("file", _("文件过大：最大%(mb)d MB。") % {"mb": IMPORT_KIND.max_bytes // 2**20})
        return _import_render(request, 400, form=form)
    content = upload.read()
    try:
        result = payment_import(actor=request.user, filename=filename, content=content, commit=False)
    except ServiceError as exc:
        form.add_error("file", exc.message)
        return _import_render(request, 400, form=form)
    token = org_imports._keep_upload(request, IMPORT_KIND, filename, content) if result.ok else ""
    return _import_render(request, 200 if result.ok else 400, result=result, token=token)


def _import_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    entry = org_imports._pending(request).get(token) if org_imports.TOKEN.match(token) else None
    path = (
        org_imports._stored_path(token, entry["ext"]) if entry and entry["kind"] == IMPORT_KIND.key else None
    )
    if path is None or not path.is_file():
        messages.error(request, _("上传的文件已失效，请重新上传。"))
        return redirect("payment-import")
    if request.POST.get("action") == "cancel":
        org_imports._forget_upload(request, token)
        messages.info(request, _("已取消导入，未写入任何数据。"))
        return redirect("payment-import")
    content = path.read_bytes()
    try:
        result = payment_import(actor=request.user, filename=entry["filename"], content=content, commit=True)
    except ServiceError as exc:
        org_imports._forget_upload(request, token)
        form = org_imports.UploadForm()
        form.add_error(None, exc.message)
        return _import_render(request, 409, form=form)
    org_imports._forget_upload(request, token)
    if not result.committed:
        return _import_render(request, 400, result=result, token="")
    messages.success(
        request,
        _("导入成功：%(filename)s，共%(n)d笔缴款已入账，%(paid)d个案件已缴清。")
        % {"filename": result.filename, "n": result.total, "paid": result.counts.get("paid_cases", 0)},
    )
    return redirect("payment-import")


@login_required
@require_http_methods(["GET", "POST"])
def payment_import_page(request: HttpRequest) -> HttpResponse:
    """Upload the bank's file, check every row, then confirm (team leaders and administrators; 404 for
    anyone else)."""
    if not may_import(request.user):
        raise Http404
    if request.method == "POST":
        return _import_confirm(request) if "token" in request.POST else _import_upload(request)
    return _import_render(request)
