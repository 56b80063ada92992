"""Import pages: upload -> dry run (preview, or the full per-row error table) -> confirm -> commit.

The uploaded file waits between the two steps under MEDIA_ROOT/imports, named by a random token kept
in the session (never by the user's file name), and is deleted once committed, refused or cancelled.
The commit validates again: the database may have changed since the preview. Administrators only;
everyone else gets 404 (DESIGN.md: outsiders learn nothing, not even that the page exists).
"""

from __future__ import annotations

import io
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core.errors import ServiceError
from zhifa.org.imports import people as people_rules
from zhifa.org.imports import regions as regions_rules
from zhifa.org.imports.common import MAX_GEOJSON_BYTES, MAX_TABLE_BYTES, Column, ImportResult, extension
from zhifa.org.imports.people import template_workbook
from zhifa.org.policies import Action, user_can
from zhifa.org.services.imports import grid_import, people_import, regions_import

SESSION_KEY = "org_imports"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_SECONDS = 24 * 3600  # uploads abandoned before the confirm step are removed after a day
MAX_PENDING = 5

GRID_COLUMNS: tuple[Column, ...] = (
    Column("code", "code", required=True, help=N_("必填，网格编码，唯一")),
    Column("name", "name", required=True, help=N_("必填，网格名称")),
    Column("level", "level", required=True, help=N_("必填，1区县、2街道乡镇、3社区、4片区网格、5微网格")),
    Column("parent_code", "parent_code", help=N_("上级网格编码；第2-5级必填，可在同一文件中")),
    Column("region_code", "region_code", required=True, help=N_("必填，所在区划的12位代码")),
    Column("leader_username", "leader_username", help=N_("选填，网格长的用户名")),
)


@dataclass(frozen=True)
class ImportKind:
    key: str
    title: Promise
    description: Promise
    service: Callable[..., ImportResult]
    extensions: tuple[str, ...]
    max_bytes: int
    columns: tuple[Column, ...]
    url_name: str
    template_url_name: str = ""


KINDS: dict[str, ImportKind] = {
    "people": ImportKind(
        "people",
        gettext_lazy("人员导入"),
        gettext_lazy("从 Excel（.xlsx）或 CSV 文件批量创建人员及其用户账号、执法主体、队伍和角色。"),
        people_import,
        ("xlsx", "csv"),
        MAX_TABLE_BYTES,
        people_rules.COLUMNS,
        "import-people",
        "import-template-people",
    ),
    "regions": ImportKind(
        "regions",
        gettext_lazy("区划导入"),
        gettext_lazy("从 Excel（.xlsx）或 CSV 文件导入乡镇（街道）、社区（村）等行政区划及其12位区划代码。"),
        regions_import,
        ("xlsx", "csv"),
        MAX_TABLE_BYTES,
        regions_rules.COLUMNS,
        "import-regions",
    ),
    "grid": ImportKind(
        "grid",
        gettext_lazy("网格导入"),
        gettext_lazy("从 GeoJSON 文件导入五级网格及其范围（Polygon/MultiPolygon，经纬度坐标）。"),
        grid_import,
        ("geojson", "json"),
        MAX_GEOJSON_BYTES,
        GRID_COLUMNS,
        "import-grid",
    ),
}


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件"), allow_empty_file=True)  # the service explains


def _require_importer(request: HttpRequest) -> None:
    if not user_can(request.user, Action.IMPORT):
        raise Http404


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored_path(token: str, ext: str) -> Path:
    return upload_dir() / f"{token}.{ext}"


def _remove_stale() -> None:
    limit = time.time() - STALE_SECONDS
    for path in upload_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue  # removed meanwhile by another request


def _pending(request: HttpRequest) -> dict[str, dict[str, str]]:
    return dict(request.session.get(SESSION_KEY, {}))


def _keep_upload(request: HttpRequest, kind: ImportKind, filename: str, content: bytes) -> str:
    """Store the upload under a random token and remember it in the session; returns the token."""
    _remove_stale()
    token = secrets.token_hex(16)
    ext = extension(filename)
    _stored_path(token, ext).write_bytes(content)
    pending = _pending(request)
    while len(pending) >= MAX_PENDING:
        old_token, old = next(iter(pending.items()))
        _stored_path(old_token, old["ext"]).unlink(missing_ok=True)
        del pending[old_token]
    pending[token] = {"kind": kind.key, "filename": filename, "ext": ext}
    request.session[SESSION_KEY] = pending
    return token


def _forget_upload(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    if entry is not None:
        _stored_path(token, entry["ext"]).unlink(missing_ok=True)
        request.session[SESSION_KEY] = pending


def _render(
    request: HttpRequest, kind: ImportKind, template: str = "org/import_form.html", **context: Any
) -> HttpResponse:
    """The import page of `kind` (other apps pass their own template extending org/import_form.html)."""
    context.setdefault("form", UploadForm())
    return render(
        request,
        template,
        {
            "kind": kind,
            "accept": ",".join(f".{e}" for e in kind.extensions),
            "types": "、".join(f".{e}" for e in kind.extensions),
            **context,
        },
    )


def _upload(request: HttpRequest, kind: ImportKind) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, kind, form=form)
    upload = form.cleaned_data["file"]
    filename = Path(upload.name or "").name
    if extension(filename) not in kind.extensions:
        form.add_error(
            "file",
            _("不支持的文件类型，请上传 %(types)s 文件。")
            % {"types": "、".join(f".{e}" for e in kind.extensions)},
        )
        return _render(request, kind, form=form)
    if upload.size > kind.max_bytes:
        form.add_error("file", _("文件过大：最大%(mb)d MB。") % {"mb": kind.max_bytes // (1024 * 1024)})
        return _render(request, kind, form=form)
    content = upload.read()
    try:
        result = kind.service(actor=request.user, filename=filename, content=content, commit=False)
    except ServiceError as exc:
        form.add_error("file", exc.message)
        return _render(request, kind, form=form)
    token = _keep_upload(request, kind, filename, content) if result.ok else ""
    return _render(request, kind, result=result, token=token)


def _confirm(request: HttpRequest, kind: ImportKind) -> HttpResponse:
    token = request.POST.get("token", "")
    entry = _pending(request).get(token) if TOKEN.match(token) else None
    path = _stored_path(token, entry["ext"]) if entry and entry["kind"] == kind.key else None
    if path is None or not path.is_file():
        messages.error(request, _("上传的文件已失效，请重新上传。"))
        return redirect(kind.url_name)
    if request.POST.get("action") == "cancel":
        _forget_upload(request, token)
        messages.info(request, _("已取消导入，未写入任何数据。"))
        return redirect(kind.url_name)
    content = path.read_bytes()
    try:
        result = kind.service(actor=request.user, filename=entry["filename"], content=content, commit=True)
    except ServiceError as exc:
        _forget_upload(request, token)
        form = UploadForm()
        form.add_error(None, exc.message)
        return _render(request, kind, form=form)
    _forget_upload(request, token)
    if not result.committed:
        # The database changed since the preview: the new report explains what no longer fits.
        return _render(request, kind, result=result, token="")
    messages.success(
        request,
        _("导入成功：%(filename)s，共%(n)d条记录已写入。") % {"filename": result.filename, "n": result.total},
    )
    return redirect(kind.url_name)


@login_required
@require_GET
def import_index(request: HttpRequest) -> HttpResponse:
    """The three imports an administrator can run."""
    _require_importer(request)
    return render(request, "org/import_index.html", {"kinds": list(KINDS.values())})


def register_kind(kind: ImportKind) -> None:
    """Add another app's import (e.g. power items) to the import index; its view is make_import_view."""
    KINDS[kind.key] = kind


def make_import_view(kind: ImportKind) -> Callable[[HttpRequest], HttpResponse]:
    """The upload -> preview -> confirm view of one import kind (administrators only)."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        _require_importer(request)
        if request.method == "POST":
            return _confirm(request, kind) if "token" in request.POST else _upload(request, kind)
        return _render(request, kind)

    view.__name__ = f"import_{kind.key.replace('-', '_')}"
    view.__doc__ = f"Upload, preview and commit the {kind.key} import."
    return view


def _import_view(key: str) -> Callable[[HttpRequest], HttpResponse]:
    return make_import_view(KINDS[key])


import_people = _import_view("people")
import_regions = _import_view("regions")
import_grid = _import_view("grid")


@login_required
@require_GET
def import_template_people(request: HttpRequest) -> FileResponse:
    """The people template: headers and one example row from the administrator's own county."""
    _require_importer(request)
    return FileResponse(
        io.BytesIO(template_workbook(request.user)),
        as_attachment=True,
        filename=_("人员导入模板.xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
