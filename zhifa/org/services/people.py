"""People and secondments (下沉/派驻, "县属乡用"): create, edit, change status, second, end secondment.

Each service runs in one transaction and writes exactly one record event. Edits are guarded by the
`version` the form was loaded with (DESIGN.md: concurrent edits never silently overwrite each other).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_change, record_event, snapshot
from zhifa.org.accounts import create_account, password_problem, username_problem
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    CommandCenter,
    Person,
    PersonStatus,
    Region,
    Role,
    Secondment,
    Team,
)
from zhifa.org.services.certificate_rules import LIVE_STATUSES
from zhifa.org.services.certificates import revoke_for_holder
from zhifa.org.services.versioning import claim_version

PERSON_FIELDS = (
    "name",
    "phone",
    "region",
    "agency",
    "team",
    "command_center",
    "roles",
    "status",
    "status_date",
    "version",
)
SECONDMENT_FIELDS = ("person", "from_agency", "to_agency", "to_team", "start_date", "end_date", "note")
NAME_MAX_LENGTH = Person._meta.get_field("name").max_length
PHONE_PATTERN = re.compile(r"^[0-9+\-() ]{3,20}$")
REASON_MAX_LENGTH = 200
_UNSET = object()


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写姓名。"), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ServiceError(
            ErrorCode.INVALID, _("姓名不能超过%(n)d个字。") % {"n": NAME_MAX_LENGTH}, field="name"
        )
    return name


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if phone and not PHONE_PATTERN.match(phone):
        raise ServiceError(ErrorCode.INVALID, _("电话号码格式不正确。"), field="phone")
    return phone


def _clean_roles(roles: Iterable[Role | str]) -> list[Role]:
    codes = sorted({role.code if isinstance(role, Role) else str(role) for role in roles})
    found = list(Role.objects.filter(code__in=codes))
    if len(found) != len(codes):
        raise ServiceError(ErrorCode.INVALID, _("角色无效。"), field="roles")
    return found


def _clean_placement(region: Region | None, agency: Agency | None, team: Team | None) -> Agency | None:
    """Check that region, agency and team fit together; a team implies its agency."""
    if region is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请选择工作区划。"), field="region")
    if team is not None:
        if agency is None:
            agency = team.agency
        elif team.agency_id != agency.pk:
            raise ServiceError(ErrorCode.INVALID, _("执法队伍不属于所选执法主体。"), field="team")
    return agency


def person_create(
    *,
    actor: Any,
    name: str,
    region: Region,
    phone: str = "",
    agency: Agency | None = None,
    team: Team | None = None,
    command_center: CommandCenter | None = None,
    roles: Iterable[Role | str] = (),
    user: Any = None,
    username: str = "",
    password: str = "",
) -> Person:
    """Create an active person, with a new login account when `username` is given.

    Without `password` the account cannot log in until an administrator sets one. Writes one event
    "person.create" (the account is part of it; the password never is).
    """
    name = _clean_name(name)
    phone = _clean_phone(phone)
    agency = _clean_placement(region, agency, team)
    role_rows = _clean_roles(roles)
    username = (username or "").strip()
    if username:
        if user is not None:
            raise ServiceError(ErrorCode.INVALID, _("已指定账号，不能再填写用户名。"), field="username")
        if problem := username_problem(username):
            raise ServiceError(
                ErrorCode.DUPLICATE if "已存在" in problem else ErrorCode.INVALID, problem, field="username"
            )
        if password and (problem := password_problem(password, username)):
            raise ServiceError(ErrorCode.INVALID, problem, field="password")
    elif password:
        raise ServiceError(ErrorCode.REQUIRED, _("设置初始密码时须填写用户名。"), field="username")
    with transaction.atomic():
        if username:
            user = create_account(username, password)
        person = Person.objects.create(
            user=user,
            name=name,
            phone=phone,
            region=region,
            agency=agency,
            team=team,
            command_center=command_center,
            status=PersonStatus.ACTIVE,
        )
        person.roles.set(role_rows)
        record_change(actor=actor, action="person.create", obj=person, fields=PERSON_FIELDS)
    return person


def person_update(
    *,
    actor: Any,
    person: Person,
    version: int,
    name: str,
    region: Region,
    phone: str = "",
    agency: Agency | None = None,
    team: Team | None = None,
    command_center: CommandCenter | None = None,
    roles: Iterable[Role | str] | object = _UNSET,
) -> Person:
    """Edit a person's details (not their status: see `person_change_status`).

    `version` is the version the form was loaded with: if the row changed since, CONFLICT is raised
    and nothing is written. Writes one event "person.update".
    """
    name = _clean_name(name)
    phone = _clean_phone(phone)
    agency = _clean_placement(region, agency, team)
    role_rows = None if roles is _UNSET else _clean_roles(roles)  # type: ignore[arg-type]
    with transaction.atomic():
        current = Person.objects.get(pk=person.pk)
        before = snapshot(current, PERSON_FIELDS)
        claim_version(current, version)
        current.name, current.phone, current.region, current.agency = name, phone, region, agency
        current.team, current.command_center = team, command_center
        current.save(update_fields=["name", "phone", "region", "agency", "team", "command_center"])
        if role_rows is not None:
            current.roles.set(role_rows)
        record_change(actor=actor, action="person.update", obj=current, fields=PERSON_FIELDS, before=before)
    return current


def live_certificates(person: Person) -> list[Certificate]:
    """The certificates a status change away from active would revoke (valid or suspended)."""
    return list(Certificate.objects.filter(holder=person, status__in=LIVE_STATUSES).order_by("number"))


def person_change_status(
    *,
    actor: Any,
    person: Person,
    status: str,
    date: datetime.date,
    reason: str,
    version: int | None = None,
) -> Person:
    """Transfer (调离) or retire a person, or return them to active duty.

    Leaving the post revokes all their valid or suspended certificates and ends their running
    secondments in the same transaction (LAW.md section 5 [CERT-LOCAL]: cancel on transfer,
    retirement). One event "person.change_status"; its `after` lists the revoked certificate numbers.
    Returning to active duty restores no certificate: a new one must be issued.
    """
    if status not in PersonStatus.values:
        raise ServiceError(ErrorCode.INVALID, _("人员状态无效。"), field="status")
    if date is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写日期。"), field="date")
    if date > timezone.localdate():
        raise ServiceError(ErrorCode.INVALID, _("日期不能晚于今天。"), field="date")
    reason = (reason or "").strip()
    leaving = status != PersonStatus.ACTIVE
    if leaving and not reason:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写原因。"), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ServiceError(
            ErrorCode.INVALID, _("原因不能超过%(n)d个字。") % {"n": REASON_MAX_LENGTH}, field="reason"
        )
    with transaction.atomic():
        current = Person.objects.get(pk=person.pk)
        before = snapshot(current, PERSON_FIELDS)
        claim_version(current, version)
        if current.status == status:
            raise ServiceError(
                ErrorCode.INVALID_STATE,
                _("该人员已是“%(status)s”状态。") % {"status": current.get_status_display()},
                field="status",
            )
        if leaving and current.status != PersonStatus.ACTIVE:
            raise ServiceError(ErrorCode.INVALID_STATE, _("只有在岗人员可以调离或退休。"), field="status")
        if current.status_date and date < current.status_date:
            raise ServiceError(
                ErrorCode.INVALID,
                _("日期不能早于上一次状态变更（%(date)s）。") % {"date": current.status_date.isoformat()},
                field="date",
            )
        current.status, current.status_date = status, date
        current.save(update_fields=["status", "status_date"])
        revoked: list[str] = []
        ended: list[int] = []
        if leaving:
            label = PersonStatus(status).label
            cert_reason = _("持证人%(status)s：%(reason)s") % {"status": label, "reason": reason}
            locked = Certificate.objects.select_for_update().filter(holder=current, status__in=LIVE_STATUSES)
            revoked = revoke_for_holder(locked.order_by("number"), reason=cert_reason, day=date)
            running = Secondment.objects.filter(person=current).filter(
                Q(end_date__isnull=True) | Q(end_date__gt=date)
            )
            for secondment in running.filter(start_date__lte=date):
                secondment.end_date = date
                secondment.save(update_fields=["end_date"])
                ended.append(secondment.pk)
        after = snapshot(current, PERSON_FIELDS)
        after.update({"reason": reason, "revoked_certificates": revoked, "ended_secondments": ended})
        record_event(actor=actor, action="person.change_status", obj=current, before=before, after=after)
    return current


def secondment_create(
    *,
    actor: Any,
    person: Person,
    to_agency: Agency,
    start_date: datetime.date,
    from_agency: Agency | None = None,
    to_team: Team | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Secondment:
    """Second (下沉/派驻) a department's person to a township: "县属乡用", they belong to both.

    While the secondment runs the person is visible to and acts for the township (org.scoping).
    Secondments of one person may not overlap. Writes one event "secondment.create".
    """
    from_agency = from_agency or person.agency
    note = (note or "").strip()
    if from_agency is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请选择派出单位。"), field="from_agency")
    if to_agency is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请选择派驻单位。"), field="to_agency")
    if to_agency.kind != AgencyKind.TOWNSHIP_GOVERNMENT:
        raise ServiceError(
            ErrorCode.INVALID, _("派驻单位必须是乡镇人民政府或街道办事处。"), field="to_agency"
        )
    if to_agency.pk == from_agency.pk:
        raise ServiceError(ErrorCode.INVALID, _("派驻单位不能与派出单位相同。"), field="to_agency")
    if to_team is not None and to_team.agency_id != to_agency.pk:
        raise ServiceError(ErrorCode.INVALID, _("派驻队伍不属于派驻单位。"), field="to_team")
    if start_date is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写开始日期。"), field="start_date")
    if end_date is not None and end_date < start_date:
        raise ServiceError(ErrorCode.INVALID, _("结束日期不能早于开始日期。"), field="end_date")
    if len(note) > 200:
        raise ServiceError(ErrorCode.INVALID, _("备注不能超过200个字。"), field="note")
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if not current.is_active:
            raise ServiceError(ErrorCode.INVALID_STATE, _("只有在岗人员可以下沉派驻。"), field="person")
        overlapping = Secondment.objects.filter(person=current).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start_date)
        )
        if end_date is not None:
            overlapping = overlapping.filter(start_date__lte=end_date)
        if overlapping.exists():
            raise ServiceError(ErrorCode.CONFLICT, _("该人员在此期间已有下沉派驻安排。"), field="start_date")
        secondment = Secondment.objects.create(
            person=current,
            from_agency=from_agency,
            to_agency=to_agency,
            to_team=to_team,
            start_date=start_date,
            end_date=end_date,
            note=note,
        )
        record_change(actor=actor, action="secondment.create", obj=secondment, fields=SECONDMENT_FIELDS)
    return secondment


def secondment_end(*, actor: Any, secondment: Secondment, end_date: datetime.date) -> Secondment:
    """End a secondment on `end_date` (the last day the person acts for the township).

    Writes one event "secondment.end".
    """
    if end_date is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写结束日期。"), field="end_date")
    with transaction.atomic():
        current = Secondment.objects.select_for_update().get(pk=secondment.pk)
        if current.end_date is not None and current.end_date < timezone.localdate():
            raise ServiceError(ErrorCode.INVALID_STATE, _("该下沉派驻已经结束。"), field="end_date")
        if end_date < current.start_date:
            raise ServiceError(ErrorCode.INVALID, _("结束日期不能早于开始日期。"), field="end_date")
        before = snapshot(current, SECONDMENT_FIELDS)
        current.end_date = end_date
        current.save(update_fields=["end_date"])
        record_change(
            actor=actor, action="secondment.end", obj=current, fields=SECONDMENT_FIELDS, before=before
        )
    return current
