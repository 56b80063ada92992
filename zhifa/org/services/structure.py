"""Writes to the organisation: regions, departments, agencies and enforcement domains.

Teams, zones and command centres are in services.units, the grid in services.grid.

Each service runs in one transaction and writes exactly one record event (APL Art. 47, 全过程记录).
Updates take `expected_version` (the `version` the form was loaded with): a mismatch is a CONFLICT,
so concurrent edits never silently overwrite each other (DESIGN.md, Rules).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Department,
    DepartmentKind,
    EnforcementDomain,
    Region,
    RegionLevel,
)
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.services.structure_rules import (
    clean_text,
    delete_recorded,
    invalid,
    lock,
    require,
    save_recorded,
    update_recorded,
    validate_adcode,
    validate_uscc,
)

REGION_FIELDS = ("adcode", "name", "level", "parent")
DEPARTMENT_FIELDS = ("name", "short_name", "kind", "region", "domains")
AGENCY_FIELDS = ("name", "short_name", "kind", "region", "department", "uscc", "is_active")
DOMAIN_FIELDS = ("code", "name")


# --- Regions -----------------------------------------------------------------------------------


def _region_values(
    *, adcode: Any, name: Any, level: Any, parent: Region | None, current: Region | None
) -> dict:
    adcode, level = validate_adcode(adcode, level, parent)
    name = clean_text(name, field="name", label=_("名称"), model=Region)
    if Region.objects.filter(adcode=adcode).exclude(pk=getattr(current, "pk", None)).exists():
        raise invalid(_("区划代码“%(code)s”已存在。") % {"code": adcode}, "adcode", ErrorCode.DUPLICATE)
    if current is not None:
        if parent is not None and parent.pk == current.pk:
            raise invalid(_("上级区划不能是自己。"), "parent")
        changed = adcode != current.adcode or level != current.level
        if changed and current.children.exists():
            raise invalid(
                _("“%(name)s”已有下级区划，不能修改区划代码或层级。") % {"name": current.name}, "adcode"
            )
    return {"adcode": adcode, "name": name, "level": level, "parent": parent}


def region_create(*, actor: Any, adcode: str, name: str, level: str, parent: Region | None = None) -> Region:
    """Create a region with its 12-digit division code, consistent with its parent's code and level."""
    with transaction.atomic():
        values = _region_values(adcode=adcode, name=name, level=level, parent=parent, current=None)
        return save_recorded(
            actor=actor, obj=Region(**values), action="region.create", fields=REGION_FIELDS, before=None
        )


def region_update(
    *,
    actor: Any,
    region: Region,
    adcode: str,
    name: str,
    level: str,
    parent: Region | None = None,
    expected_version: int | None = None,
) -> Region:
    """Change a region; its code and level are fixed once it has sub-regions."""
    with transaction.atomic():
        current = lock(Region, region, expected_version)
        values = _region_values(adcode=adcode, name=name, level=level, parent=parent, current=current)
        return update_recorded(
            actor=actor, obj=current, action="region.update", fields=REGION_FIELDS, values=values
        )


def region_delete(*, actor: Any, region: Region) -> None:
    """Delete a region that nothing refers to any more."""
    with transaction.atomic():
        delete_recorded(actor=actor, obj=lock(Region, region), action="region.delete", fields=REGION_FIELDS)


# --- Departments -------------------------------------------------------------------------------


def _department_values(
    *, name: Any, short_name: Any, kind: Any, region: Region | None, current: Department | None
) -> dict:
    name = clean_text(name, field="name", label=_("名称"), model=Department)
    short_name = clean_text(short_name, field="short_name", label=_("简称"), model=Department)
    if kind not in DepartmentKind.values:
        raise invalid(_("请选择部门类型。"), "kind", ErrorCode.REQUIRED)
    require(region, field="region", label=_("县（区）"))
    if region.level != RegionLevel.COUNTY:
        raise invalid(_("部门的所属区划必须是县（区），“%(name)s”不是。") % {"name": region.name}, "region")
    if Department.objects.filter(region=region, name=name).exclude(pk=getattr(current, "pk", None)).exists():
        raise invalid(_("“%(name)s”已有同名部门。") % {"name": region.name}, "name", ErrorCode.DUPLICATE)
    return {"name": name, "short_name": short_name, "kind": kind, "region": region}


def department_create(
    *,
    actor: Any,
    name: str,
    short_name: str,
    region: Region,
    kind: str = DepartmentKind.FUNCTIONAL,
    domains: Iterable[EnforcementDomain] = (),
) -> Department:
    """Create a county department (县直部门) with its enforcement domains."""
    with transaction.atomic():
        values = _department_values(name=name, short_name=short_name, kind=kind, region=region, current=None)
        return save_recorded(
            actor=actor,
            obj=Department(**values),
            action="department.create",
            fields=DEPARTMENT_FIELDS,
            before=None,
            m2m={"domains": domains},
        )


def department_update(
    *,
    actor: Any,
    department: Department,
    name: str,
    short_name: str,
    region: Region,
    kind: str,
    domains: Iterable[EnforcementDomain] = (),
    expected_version: int | None = None,
) -> Department:
    """Change a department."""
    with transaction.atomic():
        current = lock(Department, department, expected_version)
        values = _department_values(
            name=name, short_name=short_name, kind=kind, region=region, current=current
        )
        if hasattr(current, "agency") and current.agency.region_id != region.pk:
            raise invalid(_("该部门已有执法主体，不能改到其他县（区）。"), "region")
        return update_recorded(
            actor=actor,
            obj=current,
            action="department.update",
            fields=DEPARTMENT_FIELDS,
            values=values,
            m2m={"domains": domains},
        )


def department_delete(*, actor: Any, department: Department) -> None:
    """Delete a department that nothing refers to any more."""
    with transaction.atomic():
        delete_recorded(
            actor=actor,
            obj=lock(Department, department),
            action="department.delete",
            fields=DEPARTMENT_FIELDS,
        )


# --- Agencies (执法主体) ------------------------------------------------------------------------


def _agency_values(
    *,
    name: Any,
    short_name: Any,
    kind: Any,
    region: Region | None,
    department: Department | None,
    uscc: Any,
    is_active: bool,
    current: Agency | None,
) -> dict:
    name = clean_text(name, field="name", label=_("名称"), model=Agency)
    # The short name goes into every document number (文号), so it is required.
    short_name = clean_text(short_name, field="short_name", label=_("简称"), model=Agency)
    if kind not in AgencyKind.values:
        raise invalid(_("请选择执法主体类型。"), "kind", ErrorCode.REQUIRED)
    require(region, field="region", label=_("区划"))
    others = Agency.objects.exclude(pk=getattr(current, "pk", None))
    if kind == AgencyKind.TOWNSHIP_GOVERNMENT:
        # Township governments are legal subjects in their own name after the grant (APL Art. 24).
        if region.level not in TOWNSHIP_LEVELS:
            raise invalid(_("乡镇人民政府（街道办事处）的区划必须是乡镇或街道。"), "region")
        if department is not None:
            raise invalid(_("乡镇人民政府不应关联部门。"), "department")
        clash = others.filter(kind=AgencyKind.TOWNSHIP_GOVERNMENT, region=region).first()
        if clash is not None:
            raise invalid(
                _("“%(region)s”已有执法主体“%(name)s”。") % {"region": region.name, "name": clash.name},
                "region",
                ErrorCode.DUPLICATE,
            )
    else:
        require(department, field="department", label=_("部门"))
        if department.region_id != region.pk:
            raise invalid(
                _("部门执法主体的区划应为部门所属的县（区）“%(name)s”。") % {"name": department.region.name},
                "region",
            )
        clash = others.filter(department=department).first()
        if clash is not None:
            raise invalid(
                _("部门“%(dept)s”已有执法主体“%(name)s”。") % {"dept": department.name, "name": clash.name},
                "department",
                ErrorCode.DUPLICATE,
            )
    return {
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "region": region,
        "department": department,
        "uscc": validate_uscc(uscc),
        "is_active": bool(is_active),
    }


def agency_create(
    *,
    actor: Any,
    name: str,
    short_name: str,
    kind: str,
    region: Region,
    department: Department | None = None,
    uscc: str = "",
    is_active: bool = True,
) -> Agency:
    """Create a legal subject (执法主体): a township government or a department."""
    with transaction.atomic():
        values = _agency_values(
            name=name,
            short_name=short_name,
            kind=kind,
            region=region,
            department=department,
            uscc=uscc,
            is_active=is_active,
            current=None,
        )
        return save_recorded(
            actor=actor, obj=Agency(**values), action="agency.create", fields=AGENCY_FIELDS, before=None
        )


def agency_update(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    short_name: str,
    kind: str,
    region: Region,
    department: Department | None = None,
    uscc: str = "",
    is_active: bool = True,
    expected_version: int | None = None,
) -> Agency:
    """Change a legal subject; deactivating it stops new document numbers in its name."""
    with transaction.atomic():
        current = lock(Agency, agency, expected_version)
        values = _agency_values(
            name=name,
            short_name=short_name,
            kind=kind,
            region=region,
            department=department,
            uscc=uscc,
            is_active=is_active,
            current=current,
        )
        return update_recorded(
            actor=actor, obj=current, action="agency.update", fields=AGENCY_FIELDS, values=values
        )


def agency_delete(*, actor: Any, agency: Agency) -> None:
    """Delete an agency that nothing refers to any more (otherwise deactivate it)."""
    with transaction.atomic():
        delete_recorded(actor=actor, obj=lock(Agency, agency), action="agency.delete", fields=AGENCY_FIELDS)


# --- Enforcement domains ----------------------------------------------------------------------


def _domain_values(*, code: Any, name: Any, current: EnforcementDomain | None) -> dict:
    code = clean_text(code, field="code", label=_("编码"), model=EnforcementDomain)
    if not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        raise invalid(_("编码只能包含英文字母、数字、连字符和下划线。"), "code")
    if EnforcementDomain.objects.filter(code=code).exclude(pk=getattr(current, "pk", None)).exists():
        raise invalid(_("编码“%(code)s”已存在。") % {"code": code}, "code", ErrorCode.DUPLICATE)
    return {"code": code, "name": clean_text(name, field="name", label=_("名称"), model=EnforcementDomain)}


def enforcement_domain_create(*, actor: Any, code: str, name: str) -> EnforcementDomain:
    """Create an enforcement domain (执法领域) named on certificates and departments."""
    with transaction.atomic():
        return save_recorded(
            actor=actor,
            obj=EnforcementDomain(**_domain_values(code=code, name=name, current=None)),
            action="enforcement_domain.create",
            fields=DOMAIN_FIELDS,
            before=None,
        )


def enforcement_domain_update(
    *, actor: Any, domain: EnforcementDomain, code: str, name: str
) -> EnforcementDomain:
    """Rename an enforcement domain."""
    with transaction.atomic():
        current = lock(EnforcementDomain, domain)
        return update_recorded(
            actor=actor,
            obj=current,
            action="enforcement_domain.update",
            fields=DOMAIN_FIELDS,
            values=_domain_values(code=code, name=name, current=current),
        )
