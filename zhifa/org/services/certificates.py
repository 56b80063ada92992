"""Enforcement certificates (行政执法证): issue, suspend, reinstate, revoke, expire, renew.

Law: APL Art. 42 (only staff with enforcement qualification enforce), Art. 52 and 55 (show the
certificate), Art. 76(5) (sanctions for enforcing without a certificate); ACL Art. 17-18; LAW.md section 5.
Every change writes a `CertificateStatusChange` row (so `can_enforce` answers for past dates) and
exactly one record event, in one transaction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_change, snapshot
from zhifa.org.models import (
    Certificate,
    CertificateStatusChange,
    EnforcementDomain,
    Person,
    PersonStatus,
)
from zhifa.org.services.certificate_rules import (
    TRANSITIONS,
    E,
    R,
    V,
    can_transition,
    invalid_transition,
)
from zhifa.org.services.versioning import claim_version

CERTIFICATE_FIELDS = (
    "number",
    "holder",
    "issuer",
    "domains",
    "valid_from",
    "valid_to",
    "status",
    "status_reason",
    "status_date",
    "version",
)
STATUS_FIELDS = ("status", "status_reason", "status_date", "valid_to", "version")
NUMBER_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]*$")
NUMBER_MAX_LENGTH = Certificate._meta.get_field("number").max_length
REASON_MAX_LENGTH = CertificateStatusChange._meta.get_field("reason").max_length


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写原因。"), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ServiceError(
            ErrorCode.INVALID, _("原因不能超过%(n)d个字。") % {"n": REASON_MAX_LENGTH}, field="reason"
        )
    return reason


def _last_change_date(certificate: Certificate) -> datetime.date | None:
    return (
        CertificateStatusChange.objects.filter(certificate=certificate)
        .order_by("-effective_date", "-id")
        .values_list("effective_date", flat=True)
        .first()
    )


def _clean_date(certificate: Certificate, day: datetime.date | None, today: datetime.date) -> datetime.date:
    """The effective date of a change: not in the future, not before the last recorded change."""
    day = day or today
    if day > today:
        raise ServiceError(ErrorCode.INVALID, _("生效日期不能晚于今天。"), field="date")
    last = _last_change_date(certificate)
    if last is not None and day < last:
        raise ServiceError(
            ErrorCode.INVALID,
            _("生效日期不能早于上一次状态变更（%(date)s）。") % {"date": last.isoformat()},
            field="date",
        )
    return day


def apply_status(certificate: Certificate, status: str, reason: str, day: datetime.date) -> None:
    """Set the status and write its history row. Internal: callers lock, check and record the event."""
    certificate.status = status
    certificate.status_reason = reason[:REASON_MAX_LENGTH]
    certificate.status_date = day
    certificate.save(update_fields=["status", "status_reason", "status_date", "valid_to"])
    CertificateStatusChange.objects.create(
        certificate=certificate, status=status, reason=certificate.status_reason, effective_date=day
    )


def _change_recorded(
    *,
    actor: Any,
    certificate: Certificate,
    action: str,
    status: str,
    reason: str,
    day: datetime.date,
    valid_to: datetime.date | None = None,
) -> None:
    """Apply a checked status change to a claimed certificate and record one event "certificate.<action>"."""
    before = snapshot(certificate, STATUS_FIELDS)
    before["version"] -= 1  # claim_version has bumped it already; `before` shows the version changed from
    if valid_to is not None:
        certificate.valid_to = valid_to
    apply_status(certificate, status, reason, day)
    record_change(
        actor=actor, action=f"certificate.{action}", obj=certificate, fields=STATUS_FIELDS, before=before
    )


def _change(
    *,
    actor: Any,
    certificate: Certificate,
    action: str,
    reason: str,
    date: datetime.date | None,
    version: int | None,
    reason_required: bool = True,
    today: datetime.date | None = None,
) -> Certificate:
    today = today or timezone.localdate()
    reason = _clean_reason(reason, required=reason_required)
    with transaction.atomic():
        claim_version(certificate, version)
        certificate.refresh_from_db()
        if not can_transition(certificate, action, today):
            raise invalid_transition(certificate, action)
        day = _clean_date(certificate, date, today)
        _change_recorded(
            actor=actor,
            certificate=certificate,
            action=action,
            status=TRANSITIONS[action][1],
            reason=reason,
            day=day,
        )
    return certificate


def certificate_issue(
    *,
    actor: Any,
    holder: Person,
    number: str,
    issuer: str,
    domains: Iterable[EnforcementDomain],
    valid_from: datetime.date,
    valid_to: datetime.date,
) -> Certificate:
    """Issue a certificate to an active person (APL Art. 42: only qualified staff enforce).

    Writes the certificate, its first history row (valid from `valid_from`) and one event
    "certificate.issue".
    """
    number = (number or "").strip()
    issuer = (issuer or "").strip()
    domains = list(domains)
    if not number:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写证件编号。"), field="number")
    if len(number) > NUMBER_MAX_LENGTH or not NUMBER_PATTERN.match(number):
        raise ServiceError(
            ErrorCode.INVALID, _("证件编号只能包含数字、字母和连字符，且不超过40位。"), field="number"
        )
    if not issuer:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写发证机关。"), field="issuer")
    if not domains:
        raise ServiceError(ErrorCode.REQUIRED, _("请至少选择一个执法领域。"), field="domains")
    if valid_from is None or valid_to is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写有效期。"), field="valid_to")
    if valid_to < valid_from:
        raise ServiceError(ErrorCode.INVALID, _("有效期至不能早于有效期起。"), field="valid_to")
    with transaction.atomic():
        holder = Person.objects.select_for_update().get(pk=holder.pk)
        if not holder.is_active:
            # LAW.md section 5 [CERT-LOCAL]: certificates are cancelled on transfer or retirement, so
            # a person no longer on the post cannot be issued one.
            raise ServiceError(ErrorCode.INVALID_STATE, _("持证人不在岗，不能发证。"), field="holder")
        if Certificate.objects.filter(number=number).exists():
            raise ServiceError(ErrorCode.DUPLICATE, _("证件编号已存在。"), field="number")
        try:
            with transaction.atomic():  # savepoint: a concurrent issue of the same number
                certificate = Certificate.objects.create(
                    number=number,
                    holder=holder,
                    issuer=issuer,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    status=V,
                    status_reason=_("发证"),
                    status_date=valid_from,
                )
        except IntegrityError:
            raise ServiceError(ErrorCode.DUPLICATE, _("证件编号已存在。"), field="number") from None
        certificate.domains.set(domains)
        CertificateStatusChange.objects.create(
            certificate=certificate, status=V, reason=_("发证"), effective_date=valid_from
        )
        record_change(actor=actor, action="certificate.issue", obj=certificate, fields=CERTIFICATE_FIELDS)
    return certificate


def certificate_suspend(
    *,
    actor: Any,
    certificate: Certificate,
    reason: str,
    date: datetime.date | None = None,
    version: int | None = None,
) -> Certificate:
    """Suspend (暂扣) a valid certificate from `date`: its holder may not enforce meanwhile (APL Art. 42)."""
    return _change(
        actor=actor, certificate=certificate, action="suspend", reason=reason, date=date, version=version
    )


def certificate_reinstate(
    *,
    actor: Any,
    certificate: Certificate,
    reason: str,
    date: datetime.date | None = None,
    version: int | None = None,
) -> Certificate:
    """Reinstate a suspended certificate (suspended -> valid) from `date`. Revoked ones stay revoked."""
    return _change(
        actor=actor, certificate=certificate, action="reinstate", reason=reason, date=date, version=version
    )


def certificate_revoke(
    *,
    actor: Any,
    certificate: Certificate,
    reason: str,
    date: datetime.date | None = None,
    version: int | None = None,
) -> Certificate:
    """Revoke (注销) a valid or suspended certificate from `date` [CERT-LOCAL: cancel on leaving the post]."""
    return _change(
        actor=actor, certificate=certificate, action="revoke", reason=reason, date=date, version=version
    )


def certificate_expire(
    *,
    actor: Any,
    certificate: Certificate,
    version: int | None = None,
    today: datetime.date | None = None,
) -> Certificate:
    """Mark a certificate whose `valid_to` has passed as expired, from the day after `valid_to`.

    The monthly review's action (seed 004). The effective date is the day after `valid_to`, or the
    last recorded change if that is later, so the history stays in order.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        claim_version(certificate, version)
        certificate.refresh_from_db()
        if not can_transition(certificate, "expire", today):
            if certificate.status in TRANSITIONS["expire"][0]:
                raise ServiceError(
                    ErrorCode.INVALID_STATE, _("证件尚在有效期内，不能标记为过期。"), field="status"
                )
            raise invalid_transition(certificate, "expire")
        day = certificate.valid_to + datetime.timedelta(days=1)
        last = _last_change_date(certificate)
        if last is not None and last > day:
            day = last
        _change_recorded(
            actor=actor, certificate=certificate, action="expire", status=E, reason=_("有效期届满"), day=day
        )
    return certificate


def certificate_expire_overdue(
    *,
    actor: Any,
    today: datetime.date | None = None,
    certificates: QuerySet[Certificate] | None = None,
) -> list[Certificate]:
    """Mark every valid or suspended certificate past its `valid_to` as expired (one event each).

    `certificates` narrows the run (a page passes the user's scoped queryset); default: all.
    """
    today = today or timezone.localdate()
    expired: list[Certificate] = []
    base = Certificate.objects.all() if certificates is None else certificates
    with transaction.atomic():
        overdue = base.filter(status__in=TRANSITIONS["expire"][0], valid_to__lt=today).order_by("pk")
        for certificate in overdue:
            expired.append(certificate_expire(actor=actor, certificate=certificate, today=today))
    return expired


def certificate_renew(
    *,
    actor: Any,
    certificate: Certificate,
    valid_to: datetime.date,
    reason: str = "",
    date: datetime.date | None = None,
    version: int | None = None,
) -> Certificate:
    """Extend a valid or expired certificate to `valid_to` (e.g. after re-examination) [CERT-LOCAL].

    The certificate is valid again from `date`; the days it was expired stay expired in its history,
    so `can_enforce` still answers False for them.
    """
    today = timezone.localdate()
    reason = _clean_reason(reason, required=False) or _("复审换证")
    if valid_to is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写新的有效期至。"), field="valid_to")
    with transaction.atomic():
        claim_version(certificate, version)
        certificate.refresh_from_db()
        if not can_transition(certificate, "renew", today):
            raise invalid_transition(certificate, "renew")
        if (
            Person.objects.filter(pk=certificate.holder_id).values_list("status", flat=True).get()
            != PersonStatus.ACTIVE
        ):
            raise ServiceError(ErrorCode.INVALID_STATE, _("持证人不在岗，不能延期换证。"), field="holder")
        if valid_to <= certificate.valid_to:
            raise ServiceError(
                ErrorCode.INVALID,
                _("新的有效期至必须晚于原有效期至（%(date)s）。")
                % {"date": certificate.valid_to.isoformat()},
                field="valid_to",
            )
        if valid_to < today:
            raise ServiceError(ErrorCode.INVALID, _("新的有效期至不能早于今天。"), field="valid_to")
        day = _clean_date(certificate, date, today)
        _change_recorded(
            actor=actor,
            certificate=certificate,
            action="renew",
            status=V,
            reason=_("延期至%(date)s：%(reason)s") % {"date": valid_to.isoformat(), "reason": reason},
            day=day,
            valid_to=valid_to,
        )
    return certificate


def revoke_for_holder(certificates: Iterable[Certificate], *, reason: str, day: datetime.date) -> list[str]:
    """Revoke the holder's live certificates because the holder left the post; returns their numbers.

    Internal to `person_change_status`, which locks the person and writes the one event listing them
    (LAW.md section 5 [CERT-LOCAL]: cancel on transfer or retirement, in the same transaction).
    """
    numbers: list[str] = []
    for certificate in certificates:
        claim_version(certificate, None)
        last = _last_change_date(certificate)
        apply_status(certificate, R, reason, max(day, last) if last else day)
        numbers.append(certificate.number)
    return numbers
