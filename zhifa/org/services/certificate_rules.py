"""The certificate status rules: the one transition table, what the UI may offer, suggested validity.

LAW.md section 5. Services (org.services.certificates) enforce these rules; pages ask them what to offer.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.models import Certificate, CertificateStatus

# [CERT-LOCAL] local practice: certificates are valid for 5 years, then re-examined and reissued.
# Only a suggestion in the forms; nothing enforces it (no national rule, LAW.md UNCONFIRMED).
SUGGESTED_VALIDITY_YEARS = 5

V, S, R, E = (
    CertificateStatus.VALID,
    CertificateStatus.SUSPENDED,
    CertificateStatus.REVOKED,
    CertificateStatus.EXPIRED,
)
# The one transition table: action -> (statuses it may start from, status it leads to).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "suspend": (frozenset({V}), S),
    "reinstate": (frozenset({S}), V),
    "revoke": (frozenset({V, S}), R),
    "expire": (frozenset({V, S}), E),
    "renew": (frozenset({V, E}), V),
}
# Certificates that still let someone enforce (or may again): revoked on transfer/retirement.
LIVE_STATUSES = frozenset({V, S})


def suggested_valid_to(start: datetime.date, years: int = SUGGESTED_VALIDITY_YEARS) -> datetime.date:
    """The last day of a `years`-year period starting on `start` (2022-11-01 -> 2027-10-31) [CERT-LOCAL]."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28) + datetime.timedelta(days=1)
    return end - datetime.timedelta(days=1)


def can_transition(certificate: Certificate, action: str, today: datetime.date | None = None) -> bool:
    """Whether `action` is possible now (answers the UI; the services check the same)."""
    sources, _target = TRANSITIONS[action]
    if certificate.status not in sources:
        return False
    if action == "expire":
        return certificate.valid_to < (today or timezone.localdate())
    return True


def allowed_actions(certificate: Certificate, today: datetime.date | None = None) -> list[str]:
    """The actions the UI may offer for `certificate`, in display order."""
    return [action for action in TRANSITIONS if can_transition(certificate, action, today)]


def invalid_transition(certificate: Certificate, action: str) -> ServiceError:
    messages = {
        "suspend": _("只有有效的证件可以暂扣。"),
        "reinstate": _("只有暂扣中的证件可以恢复。"),
        "revoke": _("只有有效或暂扣中的证件可以注销。"),
        "expire": _("只有有效或暂扣中的证件可以标记为过期。"),
        "renew": _("只有有效或已过期的证件可以延期换证。"),
    }
    return ServiceError(
        ErrorCode.INVALID_STATE,
        _("证件%(number)s当前状态为“%(status)s”：%(rule)s")
        % {
            "number": certificate.number,
            "status": certificate.get_status_display(),
            "rule": messages[action],
        },
        field="status",
    )
