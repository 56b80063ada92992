"""Writing inspection subjects (检查对象) and declaring conflicts of interest (issue 7, point 1).

Subjects are registered market entities. They are kept by the administrators and team leaders whose own
scope covers the subject's township (policies.can_edit_subjects). A position, when given, is placed in
its grid cell and township by the intake routing (collect once, use many); a position outside the
editor's scope is refused. Every write runs in one transaction with exactly one record event
(APL Art. 47, 全过程记录).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event, snapshot
from zhifa.inspections import policies
from zhifa.inspections.models import Industry, InspectorConflict, RiskLevel, Subject, SubjectKind
from zhifa.org.models import GridCell, Person, Region, RoleCode
from zhifa.org.scoping import has_role, person_of, visible
from zhifa.org.services.structure_rules import validate_uscc

FIELDS = (
    "uscc",
    "name",
    "kind",
    "address",
    "industry",
    "risk_level",
    "township",
    "grid_cell",
    "lng",
    "lat",
    "contact_name",
    "contact_phone",
)
ADCODE = re.compile(r"^\d{12}$")
PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
KIND_NAMES = {
    "企业": SubjectKind.ENTERPRISE,
    "个体工商户": SubjectKind.INDIVIDUAL,
    "个体": SubjectKind.INDIVIDUAL,
    **{k.value: k.value for k in SubjectKind},
}


@dataclass
class SubjectInput:
    """What a form, API call or import row says about a subject.

    `industry` and `township` may be model instances, primary keys or text (name or code; a township's
    code is its 12-digit division code).
    """

    uscc: str = ""
    name: str = ""
    kind: str = ""
    address: str = ""
    industry: Any = None
    risk_level: str = RiskLevel.C
    township: Any = None
    lng: Any = None
    lat: Any = None
    contact_name: str = ""
    contact_phone: str = ""


def _bad(message: str, field: str, code: ErrorCode = ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code, message, field=field)


def _text(value: Any, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _bad(_("请填写%(label)s。") % {"label": label}, field, ErrorCode.REQUIRED)
    if len(text) > max_length:
        raise _bad(_("%(label)s最长%(n)d个字符。") % {"label": label, "n": max_length}, field)
    return text


def _float(value: Any, *, field: str, label: str, low: float, high: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _bad(_("%(label)s应为数字。") % {"label": label}, field) from None
    if not (low <= number <= high):
        raise _bad(
            _("%(label)s应在%(low)s到%(high)s之间。") % {"label": label, "low": low, "high": high}, field
        )
    return number


def resolve_industry(value: Any) -> Industry:
    """An industry by instance, id, code or name."""
    if isinstance(value, Industry):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise _bad(_("请选择行业。"), "industry", ErrorCode.REQUIRED)
    found = Industry.objects.filter(code=text).first() or Industry.objects.filter(name=text).first()
    if found is None and text.isdigit():
        found = Industry.objects.filter(pk=int(text)).first()
    if found is None:
        raise _bad(_("行业“%(name)s”不存在。") % {"name": text}, "industry")
    return found


def resolve_township(actor: Any, value: Any) -> Region | None:
    """A township-level region by instance, id, 12-digit code or name (a name must be unambiguous)."""
    if value is None or value == "":
        return None
    if isinstance(value, Region):
        region = value
    elif isinstance(value, int):
        region = Region.objects.filter(pk=int(value)).first()
        if region is None:
            raise _bad(_("乡镇（街道）不存在。"), "township")
    else:
        text = str(value).strip()
        if ADCODE.match(text):
            region = Region.objects.filter(adcode=text).first()
        else:
            named = [r for r in Region.objects.filter(name=text) if r.is_township_level]
            mine = [r for r in named if policies.can_edit_subjects(actor, r)]
            if len(mine) > 1:
                raise _bad(_("乡镇（街道）“%(name)s”重名，请填写12位区划代码。") % {"name": text}, "township")
            region = (mine or named or [None])[0]
        if region is None:
            raise _bad(_("乡镇（街道）“%(name)s”不存在。") % {"name": text}, "township")
    if not region.is_township_level:
        raise _bad(_("“%(name)s”不是乡镇（街道）级区划。") % {"name": region.name}, "township")
    return region


def _place(lng: float, lat: float) -> tuple[Region | None, GridCell | None]:
    """Township and grid cell of a position by the intake routing (None, None when no cell covers it)."""
    from zhifa.intake.routing import place

    found = place(lng, lat)
    if found.outside:
        return None, None
    return found.township, found.cell


def clean_subject(actor: Any, data: SubjectInput, *, current: Subject | None = None) -> dict[str, Any]:
    """Validate `data` and return the model field values; raises ServiceError naming the first bad field.

    `current` is the subject being updated (its own USCC is not a duplicate).
    """
    values: dict[str, Any] = {}
    uscc = validate_uscc(data.uscc, "uscc")
    if not uscc:
        raise _bad(_("请填写统一社会信用代码。"), "uscc", ErrorCode.REQUIRED)
    taken = Subject.objects.filter(uscc=uscc)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise _bad(_("统一社会信用代码“%(code)s”已登记。") % {"code": uscc}, "uscc", ErrorCode.DUPLICATE)
    values["uscc"] = uscc
    values["name"] = _text(data.name, field="name", label=_("名称"), max_length=200, required=True)
    kind = KIND_NAMES.get(str(data.kind or "").strip())
    if kind is None:
        raise _bad(_("主体类型应为“企业”或“个体工商户”。"), "kind")
    values["kind"] = kind
    values["address"] = _text(
        data.address, field="address", label=_("经营地址"), max_length=300, required=True
    )
    values["industry"] = resolve_industry(data.industry)
    risk = str(data.risk_level or "").strip().upper()
    if risk not in RiskLevel.values:
        raise _bad(_("风险等级应为A、B、C或D。"), "risk_level")
    values["risk_level"] = risk
    lng = _float(data.lng, field="lng", label=_("经度"), low=-180, high=180)
    lat = _float(data.lat, field="lat", label=_("纬度"), low=-90, high=90)
    if (lng is None) != (lat is None):
        raise _bad(_("经度和纬度应同时填写。"), "lng" if lng is None else "lat", ErrorCode.REQUIRED)
    township = resolve_township(actor, data.township)
    cell = None
    if lng is not None and lat is not None:
        placed, cell = _place(lng, lat)
        if placed is not None:
            if township is not None and township.pk != placed.pk:
                raise _bad(
                    _("该位置位于“%(placed)s”，与所填乡镇（街道）“%(given)s”不一致。")
                    % {"placed": placed.name, "given": township.name},
                    "township",
                )
            if not policies.can_edit_subjects(actor, placed):
                raise _bad(_("该位置不在您管理的范围内。"), "lng", ErrorCode.NOT_ALLOWED)
            township = placed
    if township is None:
        raise _bad(_("请选择乡镇（街道）。"), "township", ErrorCode.REQUIRED)
    if not policies.can_edit_subjects(actor, township):
        raise _bad(
            _("乡镇（街道）“%(name)s”不在您管理的范围内。") % {"name": township.name},
            "township",
            ErrorCode.NOT_ALLOWED,
        )
    values.update(township=township, grid_cell=cell, lng=lng, lat=lat)
    values["contact_name"] = _text(data.contact_name, field="contact_name", label=_("联系人"), max_length=50)
    phone = _text(data.contact_phone, field="contact_phone", label=_("联系电话"), max_length=20)
    if phone and not PHONE.match(phone):
        raise _bad(_("联系电话格式不正确。"), "contact_phone")
    values["contact_phone"] = phone
    return values


def _duplicate(uscc: str) -> ServiceError:
    return _bad(_("统一社会信用代码“%(code)s”已登记。") % {"code": uscc}, "uscc", ErrorCode.DUPLICATE)


def _require_editor(actor: Any) -> None:
    if not policies.can_import_subjects(actor):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("您没有维护检查对象的权限。"))


def subject_create(*, actor: Any, data: SubjectInput) -> Subject:
    """Register a subject in a township of the actor's own scope; one event "inspections.subject.create"."""
    _require_editor(actor)
    values = clean_subject(actor, data)
    try:
        with transaction.atomic():
            subject = Subject.objects.create(**values)
            record_event(
                actor=actor,
                action="inspections.subject.create",
                obj=subject,
                after=snapshot(subject, FIELDS),
            )
    except IntegrityError:
        raise _duplicate(values["uscc"]) from None
    return subject


def subject_update(*, actor: Any, subject: Subject, data: SubjectInput, version: int) -> Subject:
    """Edit a subject (its current and new township both in the actor's scope); refuses a stale version.

    One event "inspections.subject.update" with the fields before and after.
    """
    _require_editor(actor)
    if not policies.can_edit_subjects(actor, subject.township):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("您无权修改该检查对象。"))
    values = clean_subject(actor, data, current=subject)
    try:
        with transaction.atomic():
            if not Subject.objects.filter(pk=subject.pk, version=int(version)).update(
                version=F("version") + 1
            ):
                raise ServiceError(
                    ErrorCode.CONFLICT,
                    _("“%(name)s”已被他人修改，请刷新页面后重新编辑。") % {"name": subject},
                )
            fresh = Subject.objects.get(pk=subject.pk)
            before = snapshot(fresh, FIELDS)
            for key, value in values.items():
                setattr(fresh, key, value)
            fresh.save(update_fields=list(values))
            record_event(
                actor=actor,
                action="inspections.subject.update",
                obj=fresh,
                before=before,
                after=snapshot(fresh, FIELDS),
            )
    except IntegrityError:
        raise _duplicate(values["uscc"]) from None
    return fresh


def conflict_declare(*, actor: Any, person: Person, subject: Subject, reason: str) -> InspectorConflict:
    """Declare that `person` must not inspect `subject` (回避, APL Art. 43): they are never drawn for it.

    The person themself declares, or a team leader of their agency; one event "inspections.conflict.declare".
    """
    own = person_of(actor)
    allowed = getattr(actor, "is_superuser", False) or (own is not None and own.pk == person.pk)
    if not allowed and has_role(actor, RoleCode.TEAM_LEADER) and person.agency_id:
        allowed = person.agency_id in policies.own_agencies(actor)
    if not allowed:
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有本人或其所在单位的队长可以登记回避。"))
    if not visible(Subject.objects.filter(pk=subject.pk), actor).exists():
        raise ServiceError(ErrorCode.NOT_FOUND, _("检查对象不存在。"), field="subject")
    text = _text(reason, field="reason", label=_("回避事由"), max_length=200, required=True)
    if InspectorConflict.objects.filter(person=person, subject=subject).exists():
        raise _bad(_("该人员已登记对该检查对象回避。"), "person", ErrorCode.DUPLICATE)
    try:
        with transaction.atomic():
            conflict = InspectorConflict.objects.create(person=person, subject=subject, reason=text)
            record_event(
                actor=actor,
                action="inspections.conflict.declare",
                obj=conflict,
                after={"person": person.pk, "subject": subject.pk, "reason": text},
            )
    except IntegrityError:
        raise _bad(_("该人员已登记对该检查对象回避。"), "person", ErrorCode.DUPLICATE) from None
    return conflict
