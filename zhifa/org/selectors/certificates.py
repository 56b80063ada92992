"""Reading certificates: the scoped list, one certificate, the monthly review, the public verification."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.org.enforcement import certificate_status_on
from zhifa.org.models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    EnforcementDomain,
    PersonStatus,
)
from zhifa.org.scoping import get_visible_or_404, visible
from zhifa.org.selectors.people import PAGE_SIZE_DEFAULT, clamp_page_size, region_prefix_for
from zhifa.org.services.certificate_rules import LIVE_STATUSES, allowed_actions

V, S = CertificateStatus.VALID, CertificateStatus.SUSPENDED


def warning_horizon(today: datetime.date) -> datetime.date:
    """The last day counted as "expiring soon" (settings.ZHIFA_CERT_EXPIRY_WARNING_DAYS, default 30)."""
    return today + datetime.timedelta(days=settings.ZHIFA_CERT_EXPIRY_WARNING_DAYS)


def certificates_queryset(user) -> QuerySet[Certificate]:
    return (
        visible(Certificate.objects.all(), user)
        .select_related("holder__region", "holder__agency")
        .prefetch_related("domains")
    )


def certificate_list(
    user,
    *,
    q: str | None = None,
    status: str | None = None,
    domain: str | None = None,
    region: str | None = None,
    expiring: bool = False,
    page: int | str | None = 1,
    page_size: int | str | None = PAGE_SIZE_DEFAULT,
    today: datetime.date | None = None,
) -> Page:
    """One page of the certificates `user` may see.

    q: part of the number or of the holder's name; status: a CertificateStatus; domain: a domain code;
    region: an adcode (subtree); expiring: only valid certificates ending within the warning period.
    """
    today = today or timezone.localdate()
    certificates = certificates_queryset(user)
    q = (q or "").strip()
    if q:
        certificates = certificates.filter(Q(number__icontains=q) | Q(holder__name__icontains=q))
    if status:
        certificates = (
            certificates.filter(status=status) if status in CertificateStatus.values else certificates.none()
        )
    if domain:
        with_domain = Certificate.objects.filter(domains__code=domain).values("id")
        certificates = certificates.filter(id__in=with_domain)
    if region:
        prefix = region_prefix_for(region)
        certificates = (
            certificates.filter(holder__region__adcode__under=prefix) if prefix else certificates.none()
        )
    if expiring:
        certificates = certificates.filter(
            status=V, valid_to__gte=today, valid_to__lte=warning_horizon(today)
        )
    paginator = Paginator(certificates.order_by("valid_to", "number"), clamp_page_size(page_size))
    return paginator.get_page(page)


def domain_options() -> list[EnforcementDomain]:
    return list(EnforcementDomain.objects.order_by("code"))


def certificate_detail(user, pk: int | str) -> Certificate:
    """One visible certificate with its holder, domains and status history; else 404."""
    history = CertificateStatusChange.objects.order_by("effective_date", "id")
    queryset = Certificate.objects.select_related(
        "holder__region", "holder__agency", "holder__team"
    ).prefetch_related("domains", Prefetch("status_changes", queryset=history))
    return get_visible_or_404(queryset, user, pk=pk)


# Monthly review (seed 004: monthly clean-up of retired/transferred holders; LAW.md section 5
# [CERT-LOCAL]: annual review, cancel on transfer, retirement, and in-date checks).
REASON_HOLDER_INACTIVE = "holder_inactive"
REASON_OVERDUE = "overdue"
REASON_EXPIRING = "expiring"


@dataclass
class ReviewItem:
    """A certificate that needs action, why, and what may be done."""

    certificate: Certificate
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (code, Chinese text)
    actions: list[str] = field(default_factory=list)

    @property
    def reason_codes(self) -> list[str]:
        return [code for code, _text in self.reasons]


def certificate_review(user, today: datetime.date | None = None) -> list[ReviewItem]:
    """What needs action this month, most urgent first, in a fixed number of queries.

    - valid or suspended certificates whose holder is no longer active (revoke);
    - certificates past `valid_to` still marked valid or suspended (mark expired, or renew);
    - valid certificates expiring within the warning period (renew).
    """
    today = today or timezone.localdate()
    horizon = warning_horizon(today)
    condition = (
        Q(status=V, valid_to__lte=horizon)
        | Q(status=S, valid_to__lt=today)
        | (Q(status__in=LIVE_STATUSES) & ~Q(holder__status=PersonStatus.ACTIVE))
    )
    rows = certificates_queryset(user).filter(condition).order_by("valid_to", "number")
    items: list[ReviewItem] = []
    for certificate in rows:
        item = ReviewItem(certificate=certificate)
        holder = certificate.holder
        if holder.status != PersonStatus.ACTIVE:
            item.reasons.append(
                (
                    REASON_HOLDER_INACTIVE,
                    _("持证人%(status)s（%(date)s），证件应注销")
                    % {
                        "status": holder.get_status_display(),
                        "date": holder.status_date.isoformat() if holder.status_date else "—",
                    },
                )
            )
        if certificate.valid_to < today:
            item.reasons.append(
                (
                    REASON_OVERDUE,
                    _("已超过有效期（%(date)s），状态仍为“%(status)s”")
                    % {"date": certificate.valid_to.isoformat(), "status": certificate.get_status_display()},
                )
            )
        elif certificate.status == V and certificate.valid_to <= horizon:
            days = (certificate.valid_to - today).days
            item.reasons.append(
                (
                    REASON_EXPIRING,
                    _("%(days)d天后到期（%(date)s）")
                    % {"days": days, "date": certificate.valid_to.isoformat()},
                )
            )
        item.actions = [a for a in allowed_actions(certificate, today) if a in ("renew", "revoke", "expire")]
        if holder.status != PersonStatus.ACTIVE and "renew" in item.actions:
            item.actions.remove("renew")
        items.append(item)
    urgency = {REASON_HOLDER_INACTIVE: 0, REASON_OVERDUE: 1, REASON_EXPIRING: 2}
    items.sort(key=lambda i: (min(urgency[c] for c in i.reason_codes), i.certificate.valid_to))
    return items


@dataclass(frozen=True)
class PublicCertificate:
    """Exactly what the public verification page may show (GO118 (五): who enforces is public;
    PIPL Art. 34: nothing beyond what the duty needs, so no phone, agency internals, ids or history)."""

    number: str
    holder_name: str
    domains: tuple[str, ...]
    valid_from: datetime.date
    valid_to: datetime.date
    status: str
    status_label: str
    is_valid: bool


def certificate_public(number: str, today: datetime.date | None = None) -> PublicCertificate | None:
    """The public facts of certificate `number` today, or None. Deliberately unscoped: the page is public."""
    today = today or timezone.localdate()
    number = (number or "").strip()
    if not number or len(number) > 40:
        return None
    certificate = (
        Certificate.objects.select_related("holder")
        .prefetch_related("domains", "status_changes")
        .filter(number=number)
        .first()
    )
    if certificate is None:
        return None
    status = certificate_status_on(certificate, today)
    if status == V and certificate.valid_to < today:
        status = CertificateStatus.EXPIRED
    is_valid = (
        status == V and certificate.valid_from <= today and certificate.holder.status == PersonStatus.ACTIVE
    )
    if status == V and certificate.valid_from > today:
        label = _("尚未生效")
    elif status == V and not is_valid:
        label = _("持证人已不在执法岗位")
    else:
        label = str(CertificateStatus(status).label)
    return PublicCertificate(
        number=certificate.number,
        holder_name=certificate.holder.name,
        domains=tuple(d.name for d in certificate.domains.all()),
        valid_from=certificate.valid_from,
        valid_to=certificate.valid_to,
        status=status,
        status_label=label,
        is_valid=is_valid,
    )
