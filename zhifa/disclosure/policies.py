"""Who may publish, exempt and withdraw publications (reading the queue goes through data scoping).

"Who enforces, publishes" (谁执法谁公示, GO118 (三)): the deciding agency's team leaders and legal reviewers
review the redacted text and publish it; both act only on cases inside their own scope.
"""

from __future__ import annotations

from typing import Any

from zhifa.cases.models import Case
from zhifa.disclosure.models import Publication
from zhifa.org.models import RoleCode
from zhifa.org.scoping import has_role, own_scope, person_of

PUBLISHER_ROLES = (RoleCode.TEAM_LEADER, RoleCode.LEGAL_REVIEWER)
# Who sees the publication queue of their scope (officers follow their own cases' publication).
QUEUE_ROLES = (*PUBLISHER_ROLES, RoleCode.OFFICER, RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN)


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_see_queue(user: Any) -> bool:
    """Roles that work with or supervise publication see the queue of their scope."""
    return _signed_in(user) and (user.is_superuser or has_role(user, *QUEUE_ROLES))


def _own_agency(user: Any, agency_id: int) -> bool:
    """The agency is the user's own (or one they are seconded to): reviewing agencies do not publish."""
    person = person_of(user)
    agencies = set(own_scope(user).agency_ids)
    if person is not None and person.agency_id:
        agencies.add(person.agency_id)
    return agency_id in agencies


def can_publish(user: Any, case: Case) -> bool:
    """Team leaders and legal reviewers of the deciding agency (GO118 (三) 谁执法谁公示)."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return has_role(user, *PUBLISHER_ROLES) and _own_agency(user, case.agency_id)


def can_withdraw(user: Any, publication: Publication) -> bool:
    """The publishing agency's team leaders and legal reviewers (APL Art. 48: the agency withdraws)."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return has_role(user, *PUBLISHER_ROLES) and _own_agency(user, publication.agency_id)
