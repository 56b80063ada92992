"""Subject pages (检查对象, issue 7 point 1): list, detail, create, edit, import, recusal declaration.

Staff who see inspections (policies.can_see) read the subjects of their county; anyone else gets 404,
and so does another county's subject. Writing needs policies.can_edit_subjects for the subject's
township (403 otherwise: the subject itself is public register data). Every write goes through
services.subjects or imports.import_subjects; the import keeps the upload -> preview -> confirm steps
and the upload storage of the org imports (zhifa.org.views.imports).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core.errors import ServiceError
from zhifa.core.spreadsheets import XLSX_TYPE, Sheet, xlsx_bytes
from zhifa.inspections import policies
from zhifa.inspections.forms_subjects import ConflictForm, SubjectForm
from zhifa.inspections.imports import COLUMNS, import_subjects
from zhifa.inspections.models import Industry
from zhifa.inspections.selectors.subjects import (
    LIST_FILTERS,
    conflict_people,
    editable_townships,
    subject_conflicts,
    subject_detail,
    subject_filter_options,
    subject_list,
    subject_visits,
)
from zhifa.inspections.services.subjects import conflict_declare, subject_create, subject_update
from zhifa.org.imports.common import MAX_TABLE_BYTES, extension
from zhifa.org.services.structure_rules import uscc_check_char

# The upload waits between preview and confirm exactly as in the org imports: under a random token in
# the session, never under the user's file name, removed once committed or cancelled.
from zhifa.org.views.imports import (
    TOKEN,
    ImportKind,
    UploadForm,
    _forget_upload,
    _keep_upload,
    _pending,
    _render,
    _stored_path,
)

SUBJECTS_KIND = ImportKind(
    "inspection-subjects",
    gettext_lazy("检查对象导入"),
    gettext_lazy("从 Excel（.xlsx）或 CSV 文件批量登记或更新检查对象（按统一社会信用代码匹配）。"),
    import_subjects,
    ("xlsx", "csv"),
    MAX_TABLE_BYTES,
    COLUMNS,
    "inspections-subject-import",
    "inspections-subject-import-template",
)
PAGE_SIZES = (10, 20, 50, 100)
EXAMPLE_BODY = "91350102MA2Y0A0B3"
EXAMPLE_USCC = EXAMPLE_BODY + uscc_check_char(EXAMPLE_BODY)  # a valid code, so the example row passes


def _require_see(request: HttpRequest) -> None:
    if not policies.can_see(request.user):
        raise Http404


def _require_importer(request: HttpRequest) -> None:
    _require_see(request)
    if not policies.can_import_subjects(request.user):
        raise PermissionDenied


@login_required
@require_GET
def subject_list_view(request: HttpRequest) -> HttpResponse:
    """The subjects with filters and pagination; htmx swaps only the results."""
    _require_see(request)
    filters = {name: request.GET.get(name, "").strip() for name in LIST_FILTERS}
    page_size = request.GET.get("page_size")
    page = subject_list(request.user, **filters, page=request.GET.get("page") or 1, page_size=page_size)
    context = {
        "page": page,
        "filters": filters,
        "page_size": page.paginator.per_page,
        "page_sizes": PAGE_SIZES,
        "options": subject_filter_options(request.user),
        "can_import": policies.can_import_subjects(request.user),
    }
    template = "inspections/subject_list.html#results" if request.htmx else "inspections/subject_list.html"
    return render(request, template, context)


@login_required
@require_GET
def subject_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One subject: its register facts, position and grid, visits with results, recusals."""
    _require_see(request)
    subject = subject_detail(request.user, pk)
    context = {
        "subject": subject,
        "visits": subject_visits(request.user, subject),
        "conflicts": subject_conflicts(subject),
        "can_edit": policies.can_edit_subjects(request.user, subject.township),
        "can_declare": conflict_people(request.user).exists(),
    }
    return render(request, "inspections/subject_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def subject_create_view(request: HttpRequest) -> HttpResponse:
    """Register a subject in one of the user's townships."""
    _require_importer(request)
    if not editable_townships(request.user):
        raise PermissionDenied
    form = SubjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            subject = subject_create(actor=request.user, data=form.subject_input())
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("检查对象“%(name)s”已登记。") % {"name": subject.name})
            return redirect("inspections-subject-detail", pk=subject.pk)
    return render(request, "inspections/subject_form.html", {"form": form, "subject": None})


@login_required
@require_http_methods(["GET", "POST"])
def subject_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a subject of the user's townships; a stale version is refused by the service."""
    _require_see(request)
    subject = subject_detail(request.user, pk)
    if not policies.can_edit_subjects(request.user, subject.township):
        raise PermissionDenied
    form = SubjectForm(request.POST or None, user=request.user, subject=subject)
    if request.method == "POST" and form.is_valid():
        try:
            subject = subject_update(
                actor=request.user,
                subject=subject,
                data=form.subject_input(),
                version=form.cleaned_data["version"],
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("检查对象信息已保存。"))
            return redirect("inspections-subject-detail", pk=subject.pk)
    return render(request, "inspections/subject_form.html", {"form": form, "subject": subject})


@login_required
@require_http_methods(["GET", "POST"])
def subject_conflict_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare a recusal (回避, APL Art. 43): an officer for himself, a team leader for his agency's
    people. The declared person is never drawn for the subject."""
    _require_see(request)
    subject = subject_detail(request.user, pk)
    people = conflict_people(request.user)
    if not people.exists():
        raise PermissionDenied
    form = ConflictForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(
                actor=request.user,
                person=form.cleaned_data["person"],
                subject=subject,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("回避登记已保存。"))
            return redirect("inspections-subject-detail", pk=subject.pk)
    return render(request, "inspections/subject_conflict.html", {"form": form, "subject": subject})


def _render_import(request: HttpRequest, **context: Any) -> HttpResponse:
    return _render(request, SUBJECTS_KIND, "inspections/subject_import.html", **context)


def _import_upload(request: HttpRequest) -> HttpResponse:
    """Step one: validate the whole file without writing; keep it for the confirm step when clean."""
    kind = SUBJECTS_KIND
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_import(request, form=form)
    upload = form.cleaned_data["file"]
    filename = Path(upload.name or "").name
    if extension(filename) not in kind.extensions:
        form.add_error("file", _("不支持的文件类型，请上传 %(types)s 文件。") % {"types": ".xlsx、.csv"})
        return _render_import(request, form=form)
    if upload.size > kind.max_bytes:
        form.add_error("file", _("文件过大：最大%(mb)d MB。") % {"mb": kind.max_bytes // (1024 * 1024)})
        return _render_import(request, form=form)
    content = upload.read()
    try:
        result = import_subjects(actor=request.user, content=content, filename=filename, commit=False)
    except ServiceError as exc:
        form.add_error("file", exc.message)
        return _render_import(request, form=form)
    token = _keep_upload(request, kind, filename, content) if result.ok else ""
    return _render_import(request, result=result, token=token)


def _import_confirm(request: HttpRequest) -> HttpResponse:
    """Step two: validate again (the register may have changed) and write all rows or none."""
    token = request.POST.get("token", "")
    entry = _pending(request).get(token) if TOKEN.match(token) else None
    path = _stored_path(token, entry["ext"]) if entry and entry["kind"] == SUBJECTS_KIND.key else None
    if path is None or not path.is_file():
        messages.error(request, _("上传的文件已失效，请重新上传。"))
        return redirect("inspections-subject-import")
    if request.POST.get("action") == "cancel":
        _forget_upload(request, token)
        messages.info(request, _("已取消导入，未写入任何数据。"))
        return redirect("inspections-subject-import")
    content = path.read_bytes()
    _forget_upload(request, token)
    try:
        result = import_subjects(actor=request.user, content=content, filename=entry["filename"], commit=True)
    except ServiceError as exc:
        form = UploadForm()
        form.add_error(None, exc.message)
        return _render_import(request, form=form)
    if not result.committed:
        return _render_import(request, result=result, token="")
    messages.success(
        request,
        _("导入成功：%(filename)s，新增%(created)d条，更新%(updated)d条。")
        % {
            "filename": result.filename,
            "created": result.counts.get("created", 0),
            "updated": result.counts.get("updated", 0),
        },
    )
    return redirect("inspections-subject-list")


@login_required
@require_http_methods(["GET", "POST"])
def subject_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a subject register, see the row errors or a preview, then confirm (all rows or none)."""
    _require_importer(request)
    if request.method == "POST":
        return _import_confirm(request) if "token" in request.POST else _import_upload(request)
    return _render_import(request)


@login_required
@require_GET
def subject_import_template_view(request: HttpRequest) -> FileResponse:
    """The import template: every column, one example row from the user's own township, and a sheet
    explaining each column."""
    _require_importer(request)
    townships = editable_townships(request.user)
    industry = Industry.objects.order_by("code").first()
    example = {
        "uscc": EXAMPLE_USCC,
        "name": "示例餐饮有限公司",
        "kind": _("企业"),
        "address": _("人民路1号"),
        "industry": industry.name if industry else _("餐饮"),
        "risk_level": "B",
        "township": townships[0].name if townships else "",
        "lng": "",
        "lat": "",
        "contact_name": _("张三"),
        "contact_phone": "13800000000",
    }
    headers = [_(c.label) for c in COLUMNS]
    content = xlsx_bytes(
        [
            Sheet(_("检查对象"), headers, [[example[c.key] for c in COLUMNS]], {0: 22, 1: 30, 3: 40}),
            Sheet(
                _("说明"),
                [_("列"), _("说明")],
                [[_(c.label), _(c.help) if c.help else ""] for c in COLUMNS],
                {1: 40},
            ),
        ]
    )
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=_("检查对象导入模板.xlsx"),
        content_type=XLSX_TYPE,
    )
