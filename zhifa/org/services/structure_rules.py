"""Checks shared by the organisation services: texts, division codes, credit codes, versions, locking.

Every check raises ServiceError with a Chinese message naming the field, so forms, the admin, the
API and imports show the same message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_change, record_event, snapshot
from zhifa.org.models import Region, RegionLevel
from zhifa.org.models.structure import PREFIX_LENGTH, adcode_prefix

M = TypeVar("M", bound=models.Model)

_ADCODE = re.compile(r"^\d{12}$")
# Which level may be the parent of which (统计用区划代码: province-city-county-township-village).
# A county may sit directly under a province (省直辖县级行政单位); a region without parent is a root.
ALLOWED_PARENT_LEVELS: dict[str, frozenset[str]] = {
    RegionLevel.PROVINCE: frozenset(),
    RegionLevel.CITY: frozenset({RegionLevel.PROVINCE}),
    RegionLevel.COUNTY: frozenset({RegionLevel.CITY, RegionLevel.PROVINCE}),
    RegionLevel.TOWNSHIP: frozenset({RegionLevel.COUNTY}),
    RegionLevel.STREET: frozenset({RegionLevel.COUNTY}),
    RegionLevel.COMMUNITY: frozenset({RegionLevel.TOWNSHIP, RegionLevel.STREET}),
    RegionLevel.VILLAGE: frozenset({RegionLevel.TOWNSHIP, RegionLevel.STREET}),
}
# Start of the digits that name a region at its own level: province 1-2, city 3-4, county 5-6,
# township 7-9, village 10-12.
SEGMENT_START = {2: 0, 4: 2, 6: 4, 9: 6, 12: 9}

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, Z, S, V), last one a check.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def invalid(message: str, field: str | None = None, code: ErrorCode = ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code, message, field=field)


def clean_text(
    value: Any, *, field: str, label: str, model: type[models.Model], required: bool = True
) -> str:
    """Strip a text input; required and length checks with the model field's max_length."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise invalid(_("请填写%(label)s。") % {"label": label}, field, ErrorCode.REQUIRED)
    max_length = model._meta.get_field(field).max_length
    if max_length and len(text) > max_length:
        raise invalid(_("%(label)s不能超过%(max)d个字。") % {"label": label, "max": max_length}, field)
    return text


def require(value: Any, *, field: str, label: str) -> Any:
    if value is None:
        raise invalid(_("请选择%(label)s。") % {"label": label}, field, ErrorCode.REQUIRED)
    return value


def validate_adcode(adcode: Any, level: Any, parent: Region | None) -> tuple[str, str]:
    """Check a 12-digit division code against its level and its parent; returns (adcode, level).

    The code is hierarchical: a township's code starts with its county's 6 digits, a village's with its
    township's 9; digits below the region's own level are zeros.
    """
    adcode = "" if adcode is None else str(adcode).strip()
    if level not in RegionLevel.values:
        raise invalid(_("请选择区划层级。"), "level", ErrorCode.REQUIRED)
    level = RegionLevel(level)
    if not _ADCODE.match(adcode):
        raise invalid(_("区划代码必须是12位数字。"), "adcode")
    length = PREFIX_LENGTH[level]
    if adcode[length:].strip("0"):
        raise invalid(
            _("区划代码“%(code)s”不是%(level)s级代码：第%(start)d位起应全为0。")
            % {"code": adcode, "level": level.label, "start": length + 1},
            "adcode",
        )
    if not adcode[SEGMENT_START[length] : length].strip("0"):
        raise invalid(
            _("区划代码“%(code)s”的%(level)s段（第%(start)d至%(end)d位）不能全为0。")
            % {"code": adcode, "level": level.label, "start": SEGMENT_START[length] + 1, "end": length},
            "adcode",
        )
    if parent is not None:
        if parent.level not in ALLOWED_PARENT_LEVELS[level]:
            raise invalid(
                _("“%(parent)s”是%(parent_level)s，不能作为%(level)s的上级区划。")
                % {"parent": parent.name, "parent_level": parent.get_level_display(), "level": level.label},
                "parent",
            )
        prefix = parent.prefix
        if not adcode.startswith(prefix):
            raise invalid(
                _("区划代码“%(code)s”应以上级区划“%(parent)s”的代码前%(n)d位%(prefix)s开头。")
                % {"code": adcode, "parent": parent.name, "n": len(prefix), "prefix": prefix},
                "adcode",
            )
    return adcode, level


def county_prefix(region: Region) -> str:
    return adcode_prefix(region.adcode, RegionLevel.COUNTY)


def within(region: Region, container: Region) -> bool:
    """True when `region` is `container` or lies inside it (by division-code prefix)."""
    return region.adcode.startswith(container.prefix) and PREFIX_LENGTH[RegionLevel(region.level)] >= len(
        container.prefix
    )


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: Any, field: str = "uscc") -> str:
    """A blank or valid 统一社会信用代码 (18 characters, GB 32100-2015 check character)."""
    text = "" if value is None else str(value).strip().upper()
    if not text:
        return ""
    if not _USCC.match(text) or uscc_check_char(text[:17]) != text[17]:
        raise invalid(_("统一社会信用代码“%(code)s”无效（应为18位，且校验位正确）。") % {"code": text}, field)
    return text


def has_version(model: type[models.Model]) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def lock(model: type[M], obj: M, expected_version: int | None = None) -> M:
    """Claim and return the current row of `obj` (the caller's copy may be stale).

    Optimistic concurrency (DESIGN.md: concurrent edits never silently overwrite each other): the first
    statement is a conditional UPDATE that bumps `version` only if it still equals `expected_version`
    (None: unconditionally). It takes the row's write lock on PostgreSQL and the database write lock on
    SQLite before anything is read, so two concurrent editors can never both pass the check.
    """
    rows = model._default_manager.filter(pk=obj.pk)
    if has_version(model):
        claimed = rows if expected_version is None else rows.filter(version=int(expected_version))
        if not claimed.update(version=F("version") + 1):
            current = rows.first()
            if current is None:
                raise invalid(_("该记录已被删除，请刷新页面。"), None, ErrorCode.NOT_FOUND)
            raise invalid(
                _("“%(name)s”已被他人修改，请刷新页面后重新编辑。") % {"name": str(current)},
                None,
                ErrorCode.CONFLICT,
            )
    try:
        return rows.select_for_update().get()
    except model.DoesNotExist:
        raise invalid(_("该记录已被删除，请刷新页面。"), None, ErrorCode.NOT_FOUND) from None


def delete_recorded(*, actor: Any, obj: models.Model, action: str, fields: tuple[str, ...]) -> None:
    """Delete a locked row and record it; a row still referenced (PROTECT) is refused, nothing changes."""
    before = snapshot(obj, fields)
    record_event(actor=actor, action=action, obj=obj, before=before, after=None)
    try:
        obj.delete()
    except (ProtectedError, RestrictedError):
        raise invalid(
            _("“%(name)s”仍被其他数据引用，不能删除。") % {"name": str(obj)}, None, ErrorCode.INVALID_STATE
        ) from None


def save_recorded(
    *,
    actor: Any,
    obj: Any,
    action: str,
    fields: tuple[str, ...],
    before: dict | None,
    m2m: dict[str, Iterable[Any]] | None = None,
) -> Any:
    """Save `obj` (and its many-to-many values) and record one event with before/after."""
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(list(values))
    record_change(actor=actor, action=action, obj=obj, fields=fields, before=before)
    return obj


def update_recorded(
    *,
    actor: Any,
    obj: Any,
    action: str,
    fields: tuple[str, ...],
    values: dict[str, Any],
    m2m: dict[str, Iterable[Any]] | None = None,
) -> Any:
    """Apply checked `values` to a locked row, save it and record one event with before/after."""
    before = snapshot(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    return save_recorded(actor=actor, obj=obj, action=action, fields=fields, before=before, m2m=m2m)
