"""Builders of publications for the portal tests (no tests here).

Publications are written directly (as `services.publication_publish` would leave them, search_terms
from the same fields), so a test needs no decided case: the portal reads the publication only.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhifa.disclosure.models import Publication, PublicationKind, PublicationState
from zhifa.disclosure.search import search_terms_for
from zhifa.org.testing import TestCounty

_numbers = itertools.count(1)


def make_publication(
    county: TestCounty,
    *,
    township: int = 0,
    state: str = PublicationState.PUBLISHED,
    agency: Any = None,
    **fields: Any,
) -> Publication:
    """A publication of `county`'s township `township` (its government the agency by default)."""
    n = next(_numbers)
    today = timezone.localdate()
    region = county.townships[township]
    agency = agency or county.township_agencies[township]
    values: dict[str, Any] = {
        "kind": PublicationKind.PENALTY,
        "state": state,
        "agency": agency,
        "region": region,
        "adcode": region.adcode,
        "domain": county.domains["urban"],
        "decision_number": f"{agency.short_name}罚决字〔{today.year}〕第{n}号",
        "decided_on": today - datetime.timedelta(days=3),
        "title": f"某包装有限公司未按规定配置消防器材案{n}",
        "party_kind": "organisation",
        "party_name": f"东湖包装有限公司{n}",
        "party_uscc": "91350102MA2XXXXX1X",
        "violation": "未按规定配置消防器材",
        "penalty_types": ["罚款"],
        "penalty_text": "罚款人民币5000元",
        "fine_amount": Decimal("5000"),
        "body": f"行政处罚决定书\n当事人：东湖包装有限公司{n}\n经查，当事人未按规定配置消防器材。",
        "due_on": today,
        "published_on": today if state != PublicationState.EXEMPT else None,
        "expires_on": today + datetime.timedelta(days=365 * 3) if state != PublicationState.EXEMPT else None,
    }
    values.update(fields)
    if state == PublicationState.WITHDRAWN:
        values.setdefault("withdrawal_reason", "revoked")
        values.setdefault("withdrawal_notice", "该决定已被复议机关撤销，现撤回公示。")
        values.setdefault("withdrawn_at", timezone.now())
        values.setdefault("revoked_on", today)
    if state == PublicationState.EXEMPT:
        values.setdefault("exempt_reason", "privacy")
        values.setdefault("exempt_note", "涉及个人隐私")
    values["search_terms"] = search_terms_for(
        [
            values["title"],
            values["party_name"],
            values["party_uscc"],
            values["decision_number"],
            values["violation"],
            values["penalty_text"],
            values["agency"].name,
        ]
    )
    return Publication.objects.create(**values)
