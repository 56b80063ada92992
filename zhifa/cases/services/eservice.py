"""Electronic service (电子送达): only with the party's signed consent (APL Art. 61 para 2; CPL Art. 90).

The officer sends the party a link /s/<token>/ and a 6-digit code, both stored only as SHA-256; the time
the party opens the document with the code is the time of service (issue 5, point 6). Serving a decision
this way takes the engine's "serve" step like paper service (zhifa.cases.services.service).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.models import Case, CaseDocument, Party, Service, ServiceMethod
from zhifa.cases.services.service import (
    LINK_DAYS_DEFAULT,
    MAX_CODE_ATTEMPTS,
    _after,
    _check_target,
    _consequences,
    _issue_proof,
    _refuse,
    lock_case,
    refresh_next_due,
)
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event


@dataclass(frozen=True)
class ElectronicLink:
    """What the officer sends the party, shown once: the link, the code and when the link expires."""

    service: Service
    link: str
    code: str
    expires_at: datetime.datetime


def link_days() -> int:
    return int(getattr(settings, "ZHIFA_ESERVICE_LINK_DAYS", LINK_DAYS_DEFAULT))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def code_hash(token: str, code: str) -> str:
    """The code hashed together with the token: the database alone cannot be used to find the code."""
    return hashlib.sha256(f"{token}:{code}".encode()).hexdigest()


def _check_consent(party: Party) -> None:
    """APL Art. 61 para 2: electronic service only with the party's signed consent and address."""
    if not party.e_service_consent:
        raise _refuse(
            _("当事人未同意电子送达，不能电子送达（《行政处罚法》第六十一条第二款）。请采用直接送达等方式。"),
            field="party",
            code=ErrorCode.NOT_ALLOWED,
        )
    if party.e_service_consent_evidence_id is None:
        raise _refuse(
            _("未上传当事人签署的送达地址确认书，不能电子送达（《行政处罚法》第六十一条第二款）。"),
            field="party",
            code=ErrorCode.NOT_ALLOWED,
        )
    if not party.e_service_address.strip():
        raise _refuse(_("当事人未填写电子送达地址。"), field="party", code=ErrorCode.REQUIRED)


def service_send_electronic(*, actor: Any, document: CaseDocument, party: Party) -> ElectronicLink:
    """Create an electronic service: a link and a one-time code for the party (returned once, stored
    only hashed); an earlier link for the same document and party stops working. The officer sends both
    to the party's e-service address (there is no SMS gateway); the record says they were issued."""
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    expires = now + datetime.timedelta(days=link_days())
    with transaction.atomic():
        case = lock_case(actor, document.case, verb=_("送达"))
        _check_target(case, document, party)
        party = Party.objects.get(pk=party.pk)
        _check_consent(party)
        if not document.file or not document.sha256:
            raise _refuse(_("该文书没有PDF文件，不能电子送达。"), field="document")
        replaced = Service.objects.filter(
            document=document, party=party, method=ServiceMethod.ELECTRONIC, served_at__isnull=True
        ).update(link_expires_at=now)
        service = Service.objects.create(
            case=case,
            document=document,
            party=party,
            method=ServiceMethod.ELECTRONIC,
            recipient=party.e_service_address[:50],
            token_hash=token_hash(token),
            code_hash=code_hash(token, code),
            link_expires_at=expires,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_event(
            actor=actor,
            action="case.service_link",
            obj=case,
            after={
                "service": service.pk,
                "document": document.pk,
                "party": party.pk,
                "address": party.e_service_address,
                "expires_at": expires.isoformat(),
                "replaced": replaced,
            },
        )
    return ElectronicLink(service, public_link(token), code, expires)


def public_link(token: str) -> str:
    """The full address of the party's page (ZHIFA_PUBLIC_BASE_URL + /s/<token>/)."""
    try:
        path = reverse("public-service", args=[token])
    except NoReverseMatch:  # the public pages are mounted at /s/ by zhifa.urls
        path = f"/s/{token}/"
    return str(getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "")).rstrip("/") + path


def find_link(token: str) -> Service | None:
    """The electronic service behind a link's token, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Service.objects.filter(token_hash=token_hash(token), method=ServiceMethod.ELECTRONIC)
        .select_related("document", "case__agency")
        .first()
    )


def link_problem(service: Service, now: datetime.datetime | None = None) -> str | None:
    """Why the link cannot be used now (expired or locked), else None."""
    if service.code_attempts >= MAX_CODE_ATTEMPTS:
        return _("验证码连续输错%(n)d次，该链接已锁定。请联系送达机关重新发送。") % {"n": MAX_CODE_ATTEMPTS}
    if service.link_expires_at is None or service.link_expires_at <= (now or timezone.now()):
        return _("该链接已失效。请联系送达机关。")
    return None


def service_open_electronic(*, token: str, code: str) -> tuple[Service, bool]:
    """The party opens the document with the code (no login). Returns (service, first_open).

    A right code: on the first opening the time is recorded as the time of service (CPL Art. 90, issue
    5: the time the party opens it), the proof of service is issued and a decision takes the "serve"
    step; later openings change nothing. A wrong code counts an attempt (recorded); the fifth wrong
    one locks the link. Raises ServiceError: NOT_FOUND, INVALID_STATE (expired or locked), INVALID.
    """
    service = find_link(token)
    if service is None:
        raise _refuse(_("链接不存在。"), field="token", code=ErrorCode.NOT_FOUND)
    failure: ServiceError | None = None
    first = False
    with transaction.atomic():
        service = Service.objects.select_for_update().select_related("document", "party").get(pk=service.pk)
        problem = link_problem(service)
        if problem:
            raise _refuse(problem, field="token", code=ErrorCode.INVALID_STATE)
        if not hmac.compare_digest(service.code_hash, code_hash(token, (code or "").strip())):
            service.code_attempts += 1
            service.save(update_fields=["code_attempts"])
            left = MAX_CODE_ATTEMPTS - service.code_attempts
            record_event(
                actor=None,
                action="case.service_code_failed",
                obj=service.case,
                after={"service": service.pk, "attempts": service.code_attempts, "locked": left <= 0},
            )
            failure = _refuse(
                link_problem(service) or _("验证码不正确，还可尝试%(n)d次。") % {"n": left}, field="code"
            )
        elif service.opened_at is None:
            first = True
            now = timezone.now()
            case = Case.objects.select_for_update(of=("self",)).get(pk=service.case_id)
            before = case.state
            service.opened_at = service.served_at = now
            service.save(update_fields=["opened_at", "served_at"])
            proof_doc = _issue_proof(None, service)
            case = _consequences(None, case, service.document, now)
            record_event(
                actor=None,
                action="case.service",
                obj=case,
                before={"state": before},
                after=_after(service, before, case, proof_doc) | {"opened_at": now.isoformat()},
            )
            refresh_next_due(case)
    if failure is not None:
        raise failure
    return service, first
