"""May this person enforce in this domain on this date? The one check other apps call.

APL Art. 42: only staff with enforcement qualification (执法资格) enforce; Art. 76(5): enforcing
without a certificate is sanctioned; ACL Art. 18: coercive measures only by qualified officers.
A person may enforce on a date when they were on the post that day and held a certificate covering
the domain, within its validity period, whose status in force that day was "valid".
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from zhifa.org.models import Certificate, CertificateStatus, EnforcementDomain, Person, PersonStatus


def person_active_on(person: Person, on_date: datetime.date) -> bool:
    """Whether `person` was on the post on `on_date`: a non-active status applies from its status_date."""
    if person.status == PersonStatus.ACTIVE:
        return True
    return person.status_date is not None and on_date < person.status_date


def certificate_status_on(certificate: Certificate, on_date: datetime.date) -> str:
    """The status in force on `on_date`: the latest history row effective by then.

    Uses prefetched `status_changes` when present. Without history rows the certificate's own status
    applies from its status_date (before that date it was valid).
    """
    changes = list(certificate.status_changes.all())
    if changes:
        effective = [c for c in changes if c.effective_date <= on_date]
        if not effective:
            return CertificateStatus.VALID  # before the first recorded change: as issued
        return max(effective, key=lambda c: (c.effective_date, c.pk)).status
    if certificate.status_date is not None and on_date < certificate.status_date:
        return CertificateStatus.VALID
    return certificate.status


def certificate_valid_on(certificate: Certificate, on_date: datetime.date) -> bool:
    """In its validity period and "valid" on `on_date` (holder not considered)."""
    return (
        certificate.valid_from <= on_date <= certificate.valid_to
        and certificate_status_on(certificate, on_date) == CertificateStatus.VALID
    )


def _domain_code(domain: EnforcementDomain | str) -> str:
    return domain.code if isinstance(domain, EnforcementDomain) else str(domain)


def enforcement_problems(
    person: Person, domain: EnforcementDomain | str, on_date: datetime.date
) -> list[str]:
    """Why `person` may not enforce in `domain` on `on_date`, in Chinese; empty when they may."""
    problems: list[str] = []
    if not person_active_on(person, on_date):
        problems.append(
            _("%(name)s自%(date)s起%(status)s，不在执法岗位（《行政处罚法》第四十二条）。")
            % {
                "name": person.name,
                "date": person.status_date.isoformat() if person.status_date else "",
                "status": person.get_status_display(),
            }
        )
    code = _domain_code(domain)
    certificates = list(
        Certificate.objects.filter(holder_id=person.pk, domains__code=code)
        .distinct()
        .prefetch_related("status_changes")
        .order_by("-valid_to")
    )
    if not certificates:
        problems.append(
            _("未持有“%(domain)s”领域的行政执法证（《行政处罚法》第四十二条）。")
            % {"domain": _domain_name(domain)}
        )
        return problems
    if any(certificate_valid_on(c, on_date) for c in certificates):
        return problems
    for certificate in certificates:
        if not certificate.valid_from <= on_date <= certificate.valid_to:
            problems.append(
                _("执法证%(number)s在%(date)s不在有效期内（%(start)s至%(end)s）。")
                % {
                    "number": certificate.number,
                    "date": on_date.isoformat(),
                    "start": certificate.valid_from.isoformat(),
                    "end": certificate.valid_to.isoformat(),
                }
            )
        else:
            status = CertificateStatus(certificate_status_on(certificate, on_date))
            problems.append(
                _("执法证%(number)s在%(date)s处于“%(status)s”状态。")
                % {
                    "number": certificate.number,
                    "date": on_date.isoformat(),
                    "status": status.label,
                }
            )
    return problems


def _domain_name(domain: EnforcementDomain | str) -> str:
    if isinstance(domain, EnforcementDomain):
        return domain.name
    return EnforcementDomain.objects.filter(code=domain).values_list("name", flat=True).first() or str(domain)


def can_enforce(person: Person, domain: EnforcementDomain | str, on_date: datetime.date) -> bool:
    """True iff `person` may enforce in `domain` on `on_date` (APL Art. 42, 76(5); ACL Art. 18).

    `domain` is an EnforcementDomain or its code. Past dates are answered from the certificate's
    status history, so a decision can be checked against the day the act took place.
    """
    return not enforcement_problems(person, domain, on_date)
