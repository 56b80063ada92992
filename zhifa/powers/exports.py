"""Power lists out as files: the catalogue (re-importable) and a grant list version (published format).

The catalogue export has the import's columns (zhifa.powers.imports.COLUMNS), so a file exported and
imported into another installation gives the same items. A grant list version is exported the way
counties publish it (APL Art. 24 requires the list handed to townships to be published): 序号,
事项名称, 职权类型, 实施依据, 原实施主体, 赋予对象, 备注, one row per item, 赋予对象 naming the
townships (or all of the county's townships at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhifa.core.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from zhifa.powers.imports import COLUMNS, PUBLISHED_KEYS
from zhifa.powers.models import GrantEntry, GrantList, PowerItem
from zhifa.powers.selectors.grants import townships_of

WIDTHS = {"name": 40, "basis_text": 60, "original_subject": 22, "granted_to": 30, "note": 24, "code": 16}


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")  # 5000.00 -> "5000", 0.50 -> "0.5"


def _item_values(item: PowerItem) -> dict[str, object]:
    return {
        "code": item.code,
        "name": item.name,
        "power_type": str(item.get_power_type_display()),
        "domain": item.domain.name if item.domain_id else "",
        "basis_text": item.basis_text,
        "original_subject": item.original_subject,
        "granted_to": "",
        "penalty_types": "、".join(item.penalty_types),
        "fine_min": _amount(item.fine_min),
        "fine_max": _amount(item.fine_max),
        "fine_formula": item.fine_formula,
        "keywords": item.keywords,
        "note": item.note,
    }


def _headers(keys: Iterable[str]) -> list[str]:
    labels = {c.key: c.label for c in COLUMNS}
    return [_(labels[key]) for key in keys]


def _widths(keys: list[str]) -> dict[int, int]:
    return {i: WIDTHS[k] for i, k in enumerate(keys) if k in WIDTHS}


def catalog_table(items: QuerySet[PowerItem]) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the catalogue export (every import column, 序号 numbered from 1)."""
    keys = [c.key for c in COLUMNS]
    rows = []
    for number, item in enumerate(items.select_related("domain").order_by("code"), start=1):
        values = _item_values(item) | {"seq": number}
        rows.append([values[k] for k in keys])
    return _headers(keys), rows


def catalog_file(items: QuerySet[PowerItem], fmt: str) -> bytes:
    """The catalogue as .xlsx (fmt "xlsx") or .csv."""
    headers, rows = catalog_table(items)
    if fmt == "csv":
        return csv_bytes(headers, rows)
    keys = [c.key for c in COLUMNS]
    return xlsx_bytes([Sheet(_("行政执法事项"), headers, rows, _widths(keys))])


def grant_list_table(grant_list: GrantList) -> tuple[list[str], list[list[object]]]:
    """The version in the published format: one row per item, 赋予对象 the townships it is granted to."""
    townships = {t.pk: t for t in townships_of(grant_list.county)}
    by_item: dict[int, tuple[PowerItem, list[int], list[str]]] = {}
    entries = (
        GrantEntry.objects.filter(grant_list=grant_list)
        .select_related("item", "item__domain")
        .order_by("item__code", "township__adcode")
    )
    for entry in entries:
        item, granted, notes = by_item.setdefault(entry.item_id, (entry.item, [], []))
        granted.append(entry.township_id)
        if entry.note and entry.note not in notes:
            notes.append(entry.note)
    keys = list(PUBLISHED_KEYS)
    rows = []
    for number, (item, granted, notes) in enumerate(by_item.values(), start=1):
        if townships and set(granted) >= set(townships):
            granted_to = _("全县各乡镇（街道）")
        else:
            granted_to = "、".join(townships[pk].name for pk in granted if pk in townships)
        values = _item_values(item) | {
            "seq": number,
            "granted_to": granted_to,
            "note": "；".join(filter(None, [item.note, *notes])),
        }
        rows.append([values[k] for k in keys])
    return _headers(keys), rows


def grant_list_file(grant_list: GrantList, fmt: str) -> bytes:
    """A grant list version as .xlsx or .csv in the published format."""
    headers, rows = grant_list_table(grant_list)
    if fmt == "csv":
        return csv_bytes(headers, rows)
    keys = list(PUBLISHED_KEYS)
    return xlsx_bytes([Sheet(_("赋权清单"), headers, rows, _widths(keys))])
