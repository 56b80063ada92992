"""The disclosure demo: the demo county's decided cases published, one withdrawn, the newest left pending.

Every step goes through the services a reviewer's page calls (redaction, leak check, record events), as
the demo county's team leader or legal reviewer of the deciding agency. Idempotent: a county that has
publications is left alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import ServiceError
from zhifa.disclosure.models import Publication, WithdrawalReason
from zhifa.disclosure.selectors.queue import decided_unpublished
from zhifa.disclosure.services import publication_publish, publication_withdraw
from zhifa.org.models import Region, RoleCode

# Each agency's newest decision stays in its queue (when it has more than one), so every demo team
# leader sees a pending item with its due date.
LEFT_PENDING = 1


@dataclass
class DisclosureDemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def _publisher(agency_id: int):
    """A team leader (else a legal reviewer) of the agency: the one who reviews and publishes."""
    users = get_user_model().objects.filter(person__agency_id=agency_id, is_active=True)
    for role in (RoleCode.TEAM_LEADER, RoleCode.LEGAL_REVIEWER):
        user = users.filter(person__roles__code=role).order_by("id").first()
        if user is not None:
            return user
    return None


def load_disclosure_demo(county: Region) -> DisclosureDemoResult:
    """Publish the county's decided cases but each agency's newest, withdraw one; nothing if it has any."""
    if Publication.objects.filter(adcode__startswith=county.prefix).exists():
        return DisclosureDemoResult(False)
    superuser = get_user_model()(is_superuser=True, is_active=True)  # sees every decided case
    cases = list(
        decided_unpublished(superuser)
        .filter(region__adcode__startswith=county.prefix)
        .order_by("decided_on", "id")
    )
    by_agency: dict[int, list] = {}
    for case in cases:
        by_agency.setdefault(case.agency_id, []).append(case)
    pending = {group[-1].pk for group in by_agency.values() if len(group) > LEFT_PENDING}
    to_publish = [case for case in cases if case.pk not in pending]
    counts: Counter = Counter()
    published: list[Publication] = []
    for case in to_publish:
        actor = _publisher(case.agency_id)
        if actor is None:
            continue
        try:
            published.append(publication_publish(actor=actor, case_pk=case.pk))
        except ServiceError:
            counts["skipped"] += 1  # e.g. no duty (a minor) or a text the leak check refuses
    counts["published"] = len(published)
    if len(published) >= 2:
        first = published[0]
        with transaction.atomic():
            publication_withdraw(
                actor=first.published_by,
                publication_pk=first.pk,
                reason=WithdrawalReason.CHANGED,
                revoked_on=timezone.localdate(),
                notice="该处罚决定经行政复议被变更，原公开信息予以撤回，变更后的决定将另行公开。",
            )
        counts["withdrawn"] = 1
    return DisclosureDemoResult(bool(published), dict(counts))
