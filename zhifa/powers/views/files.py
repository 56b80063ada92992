"""Power lists in and out as files: the item import (preview, then all or nothing), its template, the
catalogue export and a grant list version's export in the published format.

The import runs through the same upload → preview → confirm pages as the org imports
(zhifa.org.views.imports.make_import_view) and is listed on the import index. Exports read through
the selectors: the catalogue is public reference data; a grant list version through data scoping
(another county's version is a 404).
"""

from __future__ import annotations

import datetime
import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhifa.core.spreadsheets import CSV_TYPE, XLSX_TYPE, Sheet, xlsx_bytes
from zhifa.org.imports.common import MAX_TABLE_BYTES
from zhifa.org.policies import Action, user_can
from zhifa.org.views.imports import ImportKind, make_import_view
from zhifa.powers.exports import catalog_file, grant_list_file
from zhifa.powers.imports import COLUMNS
from zhifa.powers.selectors.grants import grant_list_detail
from zhifa.powers.selectors.items import power_item_export_queryset
from zhifa.powers.services.imports import power_items_import

POWER_ITEMS_KIND = ImportKind(
    "power-items",
    gettext_lazy("执法事项导入"),
    gettext_lazy(
        "从政府公布的清单格式（序号、事项名称、职权类型、实施依据、原实施主体、赋予对象、备注等列）"
        "的 Excel 或 CSV 文件批量新增行政执法事项。"
    ),
    power_items_import,
    ("xlsx", "csv"),
    MAX_TABLE_BYTES,
    COLUMNS,
    "power-item-import",
    "power-item-import-template",
)

import_power_items = make_import_view(POWER_ITEMS_KIND)

# One example row of the template: the item seed 000 tells of (a factory misusing its extinguishers).
EXAMPLE = {
    "seq": 1,
    "code": "CF-XF-001",
    "name": "对单位消防设施、器材配置、设置不符合标准或者未保持完好有效的行政处罚",
    "power_type": "行政处罚",
    "domain": "",
    "basis_text": "《中华人民共和国消防法》第十六条第一款第（二）项；"
    "《中华人民共和国消防法》第六十条第一款第（一）项",
    "original_subject": "县消防救援大队",
    "granted_to": "全县各乡镇（街道）",
    "penalty_types": "罚款",
    "fine_min": 5000,
    "fine_max": 50000,
    "fine_formula": "",
    "keywords": "灭火器、消防器材",
    "note": "",
}


def _file(content: bytes, filename: str, fmt: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=filename,
        content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE,
    )


def _format(value: str) -> str:
    if value not in ("xlsx", "csv"):
        raise Http404
    return value


@login_required
@require_GET
def power_item_import_template(request: HttpRequest) -> FileResponse:
    """The import template: every column, one example row, and a sheet explaining each column."""
    if not user_can(request.user, Action.IMPORT):
        raise Http404
    headers = [_(c.label) for c in COLUMNS]
    content = xlsx_bytes(
        [
            Sheet(_("行政执法事项"), headers, [[EXAMPLE[c.key] for c in COLUMNS]], {1: 16, 2: 40, 5: 60}),
            Sheet(_("说明"), [_("列"), _("说明")], [[_(c.label), _(c.help)] for c in COLUMNS], {1: 60}),
        ]
    )
    return _file(content, _("执法事项导入模板.xlsx"), "xlsx")


@login_required
@require_GET
def power_item_export(request: HttpRequest, fmt: str) -> FileResponse:
    """The catalogue, filtered like the list page, in the import's columns (re-importable)."""
    fmt = _format(fmt)
    params = {name: request.GET.get(name, "").strip() for name in ("q", "power_type", "domain", "active")}
    items = power_item_export_queryset(request.user, **params)
    stamp = datetime.date.today().strftime("%Y%m%d")
    return _file(catalog_file(items, fmt), f"{_('行政执法事项')}-{stamp}.{fmt}", fmt)


@login_required
@require_GET
def grant_list_export(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A grant list version in the format counties publish (one row per item, 赋予对象 the townships)."""
    fmt = _format(fmt)
    grant_list = grant_list_detail(request.user, pk)
    filename = f"{grant_list.county.name}{_('赋权清单')}-{_('第%(n)d版') % {'n': grant_list.number}}.{fmt}"
    return _file(grant_list_file(grant_list, fmt), filename, fmt)
