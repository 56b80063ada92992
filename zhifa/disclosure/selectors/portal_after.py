"""Public reads of the portal's "after enforcement" pages (事后公开, GO118 (六)): the published set.

Every portal read of a decision goes through `public_publications()`: state "published" and not past its
publication period (SAMR Order 45 Art. 13: removed when the period ends), loading only the public fields
(SAMR Order 45 Art. 4: number, party, violation, penalty, agency, date; GO118 (六): agency, target,
category, conclusion). A withdrawn decision shows nothing of itself but its withdrawal notice (APL Art.
48: withdrawn, with a public explanation), read through `withdrawal_notices()`; an exempt one (OGI Art.
14-15) nothing at all. Search lives in selectors.portal_search, statistics in selectors.portal_stats.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.disclosure.models import Publication, PublicationKind, PublicationState, WithdrawalReason
from zhifa.disclosure.selectors.portal_area import PORTAL_LEVELS
from zhifa.org.models import Region

# The published set (models.Publication): nothing else of a publication is ever loaded by the portal.
PUBLIC_FIELDS: tuple[str, ...] = (
    "kind",
    "agency",
    "agency__name",
    "region",
    "region__name",
    "adcode",
    "domain",
    "domain__name",
    "item",
    "item__name",
    "item__code",
    "decision_number",
    "decided_on",
    "title",
    "party_kind",
    "party_name",
    "party_uscc",
    "violation",
    "penalty_types",
    "penalty_text",
    "fine_amount",
    "body",
    "published_on",
    "expires_on",
)
# What a withdrawn publication shows (APL Art. 48): which decision, whose, why, when, and the notice.
NOTICE_FIELDS: tuple[str, ...] = (
    "adcode",
    "decision_number",
    "agency",
    "agency__name",
    "withdrawal_reason",
    "withdrawn_at",
    "withdrawal_notice",
)


def public_publications(today: datetime.date | None = None) -> QuerySet[Publication]:
    """THE published set: state published, not expired on `today` (SAMR Order 45 Art. 13), public
    fields only, with agency, region, domain and item joined. Every portal read of decisions starts here.
    """
    today = today or timezone.localdate()
    return (
        Publication.objects.filter(state=PublicationState.PUBLISHED)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
        .select_related("agency", "region", "domain", "item")
        .only(*PUBLIC_FIELDS)
    )


def withdrawal_notices() -> QuerySet[Publication]:
    """Withdrawn publications with their notice fields only (APL Art. 48), newest withdrawal first."""
    return (
        Publication.objects.filter(state=PublicationState.WITHDRAWN)
        .select_related("agency")
        .only(*NOTICE_FIELDS)
        .order_by("-withdrawn_at", "-id")
    )


@dataclass(frozen=True)
class WithdrawalNotice:
    """The public withdrawal notice of a publication (APL Art. 48)."""

    pk: int
    decision_number: str
    agency_name: str
    reason: str
    withdrawn_on: datetime.date | None
    notice: str
    adcode: str


def notice_of(publication: Publication) -> WithdrawalNotice:
    reason = (
        WithdrawalReason(publication.withdrawal_reason).label
        if publication.withdrawal_reason in WithdrawalReason.values
        else ""
    )
    withdrawn_at = publication.withdrawn_at
    return WithdrawalNotice(
        pk=publication.pk,
        decision_number=publication.decision_number,
        agency_name=publication.agency.name,
        reason=str(reason),
        withdrawn_on=timezone.localdate(withdrawn_at) if withdrawn_at else None,
        notice=publication.withdrawal_notice,
        adcode=publication.adcode,
    )


class PublicationGone(Exception):
    """The publication was withdrawn (APL Art. 48): the portal answers 410 with `notice` only."""

    def __init__(self, notice: WithdrawalNotice) -> None:
        super().__init__(notice.pk)
        self.notice = notice


def publication_public_or_404(pk: int, today: datetime.date | None = None) -> Publication:
    """The published, unexpired publication `pk` (public fields); raises PublicationGone for a withdrawn
    one (410 with its notice) and Http404 for anything else: exempt (OGI Art. 14-15), expired (SAMR Order
    45 Art. 13), unknown. Two queries at most."""
    publication = public_publications(today).filter(pk=pk).first()
    if publication is not None:
        return publication
    withdrawn = withdrawal_notices().filter(pk=pk).first()
    if withdrawn is not None:
        raise PublicationGone(notice_of(withdrawn))
    raise Http404


def area_of(adcode: str) -> Region | None:
    """The portal area a publication belongs to: the township (or street) of its region code, else its
    county; None when neither has a portal. One query."""
    if not (isinstance(adcode, str) and len(adcode) == 12 and adcode.isascii() and adcode.isdigit()):
        return None
    township, county = adcode[:9] + "000", adcode[:6] + "000000"
    found = {
        r.adcode: r
        for r in Region.objects.filter(adcode__in=[township, county], level__in=PORTAL_LEVELS).select_related(
            "parent"
        )
    }
    return found.get(township) or found.get(county)


def area_withdrawal_notices(area: Region) -> QuerySet[Publication]:
    """The withdrawal notices of decisions in `area` (APL Art. 48), newest first (not evaluated)."""
    return withdrawal_notices().filter(adcode__under=area.prefix)


def kind_label(kind: str) -> str:
    return str(PublicationKind(kind).label) if kind in PublicationKind.values else ""


def publication_summary(publication: Publication) -> str:
    """The one-paragraph public summary of a decision (SAMR Order 45 Art. 4), for feeds and the page."""
    parts = [
        (_("决定书文号"), publication.decision_number),
        (_("当事人"), publication.party_name),
        (_("统一社会信用代码"), publication.party_uscc),
        (_("违法行为"), publication.violation),
        (_("处罚种类"), "、".join(str(t) for t in publication.penalty_types or [])),
        (_("处理结果"), publication.penalty_text),
        (_("执法主体"), publication.agency.name),
        (_("决定日期"), publication.decided_on.isoformat() if publication.decided_on else ""),
        (_("公示日期"), publication.published_on.isoformat() if publication.published_on else ""),
    ]
    return "；".join(f"{label}：{value}" for label, value in parts if value)
