"""JSON API of enforcement certificates (行政执法证): scoped list and detail, public verification, revoke.

Reads go through `org.scoping.visible`; another township's certificate is a 404 like a missing one.
The verification endpoint is public and answers only the keys of CertificateVerifyOut.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from zhifa.core.errors import ErrorCode
from zhifa.org.api_common import Limit, Offset, caller, id_query, text_query
from zhifa.org.policies import Action, user_can
from zhifa.org.schemas import CertificateDetailOut, CertificatePage, CertificateVerifyOut, ErrorOut
from zhifa.org.selectors import api_lists as sel
from zhifa.org.selectors.certificates import certificate_public
from zhifa.org.services.certificates import certificate_revoke

certificates_router = Router(tags=["certificates"])


@certificates_router.get("", response=CertificatePage, summary="行政执法证列表")
def list_certificates(
    request: HttpRequest,
    status: str | None = Query(
        None,
        pattern=r"^(valid|suspended|revoked|expired)$",
        description="当前状态（有效期已过的“有效”证件计为已过期）",
    ),
    domain: str | None = text_query("执法领域编码", max_length=40),
    holder: int | None = id_query("持证人ID"),
    expiring_within_days: int | None = Query(None, ge=0, le=3650, description="多少天内到期的有效证件"),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = sel.certificates_visible(
        caller(request),
        status=status,
        domain=domain,
        holder=holder,
        expiring_within_days=expiring_within_days,
    )
    return sel.paginate(qs, limit, offset)


@certificates_router.get(
    "/verify/{number}", response={200: CertificateVerifyOut, 404: ErrorOut}, auth=None, summary="公开核验证件"
)
def verify_certificate(request: HttpRequest, number: str) -> Any:
    """Public: anyone may check a certificate by its number (issue 2, point 4; APL Art. 55: a party
    may refuse an officer who shows no certificate). The same facts as the public verification page."""
    # A number with control characters cannot exist (PostgreSQL would refuse the NUL in the query).
    public = None if re.search(r"[\x00-\x1f]", number) else certificate_public(number)
    if public is None:
        return 404, {"code": ErrorCode.NOT_FOUND, "field": None, "message": _("未找到该证件")}
    return {
        "number": public.number,
        "valid": public.is_valid,
        "status": public.status,
        "holder_name": public.holder_name,
        "domains": list(public.domains),
        "valid_from": public.valid_from,
        "valid_to": public.valid_to,
    }


@certificates_router.get(
    "/{id}", response={200: CertificateDetailOut, 404: ErrorOut}, summary="行政执法证（含状态历史）"
)
def get_certificate(request: HttpRequest, id: int) -> Any:
    return sel.certificate_detail(caller(request), id)


class RevokeIn(Schema):
    reason: str
    date: datetime.date | None = None
    version: int | None = None


@certificates_router.post(
    "/{id}/revoke",
    response={200: CertificateDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="注销行政执法证",
)
def revoke_certificate(request: HttpRequest, id: int, payload: RevokeIn) -> Any:
    """Revoke (注销) a certificate [CERT-LOCAL: cancel on leaving the post]; needs MANAGE_CERTIFICATES.

    Out of scope is 404 (no data); in scope without the role is 403. `version` guards against
    overwriting someone else's change made since the client loaded the certificate.
    """
    user = caller(request)
    certificate = sel.certificate_detail(user, id)
    if not user_can(user, Action.MANAGE_CERTIFICATES, certificate):
        raise PermissionDenied
    certificate_revoke(
        actor=user, certificate=certificate, reason=payload.reason, date=payload.date, version=payload.version
    )
    return sel.certificate_detail(user, id)
