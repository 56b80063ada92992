"""Who may read the legal review overview (法制审核情况, APL Art. 58; GO118 (十一)-(十四)).

The county justice bureau supervises the legal review of major enforcement decisions and hosts the panel
tier (seed 000); administrators run the platform for their county or township. Both read the overview,
each within their own data scope (zhifa.org.scoping: the justice bureau and a county administrator see
their county, a township administrator their township). Superusers see everything. Everyone else gets
403: the page is a supervision tool, not part of anyone's casework.
"""

from __future__ import annotations

from typing import Any

from zhifa.org.models import RoleCode
from zhifa.org.scoping import has_role

OVERVIEW_ROLES: tuple[str, ...] = (RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN)


def can_see_review_overview(user: Any) -> bool:
    """Whether `user` may open the legal review overview (/supervision/reviews/) and its export."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or has_role(user, *OVERVIEW_ROLES))
