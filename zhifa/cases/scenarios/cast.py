"""Who acts in a seed case: the township, its officers, team leader and legal reviewer, the county's
justice bureau, found among the people of a county (the demo county of `load_demo`, or any county with
the same roles).

APL Art. 42 wants two officers holding a valid certificate for the item's domain. Where a township has
fewer than two such officers (the demo county's officers hold no fire-safety certificate: the fire
domain arrives with the power catalogue), the county administrator issues the missing certificates
through `certificate_issue`, as a county does once a power is granted and its officers trained (seed 000:
"现在有了处罚权"). Nothing else about people or powers is changed; competence is only read through the
grant-list resolver (`competent_agency`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from zhifa.org.enforcement import enforcement_problems
from zhifa.org.models import Agency, AgencyKind, EnforcementDomain, Person, PersonStatus, Region, RoleCode
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.services.certificates import certificate_issue
from zhifa.powers.models import PowerItem
from zhifa.powers.resolver import competent_agency

# Certificates issued for a newly granted domain are valid from the first grant list (2024-01-01 in the
# demo) for the usual five years (LAW.md section 5).
CERTIFICATE_FROM = datetime.date(2024, 1, 1)
CERTIFICATE_TO = datetime.date(2028, 12, 31)
# The demo's named accounts go first where they belong to the township (so that the demo logins see the
# seed cases of their own town).
PREFERRED = ("demo_officer", "demo_team_leader", "demo_legal_reviewer", "demo_justice")


@dataclass
class Cast:
    """The people of one township who run a case of one item, and the county's panel reviewer."""

    township: Region
    agency: Agency
    officer: Any  # the lead officer's user (主办)
    second: Any  # the assisting officer's user (协办)
    leader: Any  # the team leader's user: approves filing, decides, closes
    reviewer: Any  # the township's legal reviewer (乡镇主审)
    justice: Any  # a justice bureau member: chairs the panel review (联合会审)
    admin: Any  # the county administrator (issues missing certificates)

    @property
    def officer_ids(self) -> list[int]:
        return [self.officer.person.pk, self.second.person.pk]


def townships(county: Region) -> list[Region]:
    return list(Region.objects.filter(parent=county, level__in=TOWNSHIP_LEVELS).order_by("adcode"))


def township_agency(township: Region) -> Agency:
    return Agency.objects.get(region=township, kind=AgencyKind.TOWNSHIP_GOVERNMENT)


def _people(role: str, where: Q) -> list[Person]:
    rows = (
        Person.objects.filter(where, roles__code=role, status=PersonStatus.ACTIVE)
        .filter(user__isnull=False, user__is_active=True)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    return sorted(rows, key=lambda p: p.user.username not in PREFERRED)


def competent_township(item: PowerItem, county: Region, preferred: int, on_date: datetime.date) -> Region:
    """The township the resolver names competent for `item`, starting at index `preferred` (APL Art. 24:
    only a township the item was granted to and that claimed it acts in its own name)."""
    towns = townships(county)
    for township in towns[preferred:] + towns[:preferred]:
        answer = competent_agency(item, township, on_date)
        if answer.agency is not None and answer.agency.region_id == township.pk:
            return township
    raise LookupError(f"no township of {county.adcode} is competent for {item.code}")


def _certified(person: Person, domain: EnforcementDomain, days: list[datetime.date]) -> bool:
    return all(not enforcement_problems(person, domain, day) for day in days)


def ensure_certified(
    people: list[Person], domain: EnforcementDomain, days: list[datetime.date], *, admin: Any
) -> list[Person]:
    """The first two of `people` certified for `domain` on every one of `days` (APL Art. 42): those
    already certified first; the county issues a certificate to the next ones when fewer than two are."""
    ready = [p for p in people if _certified(p, domain, days)]
    for person in people:
        if len(ready) >= 2:
            break
        if person in ready:
            continue
        certificate_issue(
            actor=admin,
            holder=person,
            number=f"{person.region.adcode[:6]}-{domain.code[:4].upper()}-{person.pk:05d}",
            issuer="福建省人民政府",
            domains=[domain],
            valid_from=CERTIFICATE_FROM,
            valid_to=CERTIFICATE_TO,
        )
        ready.append(person)
    if len(ready) < 2:
        raise LookupError(f"fewer than two officers to certify for {domain.code}")
    return sorted(ready[:2], key=lambda p: people.index(p))


def cast_for(township: Region, item: PowerItem, days: list[datetime.date]) -> Cast:
    """The cast of a case of `item` in `township` acting on `days`: two certified officers (not the
    team leader or the reviewer, who approve and review), the team leader, the reviewer, the justice
    bureau and the county administrator."""
    agency = township_agency(township)
    county = township.parent
    in_agency = Q(agency=agency)
    leaders = _people(RoleCode.TEAM_LEADER, in_agency)
    reviewers = [p for p in _people(RoleCode.LEGAL_REVIEWER, in_agency) if p not in leaders]
    officers = [p for p in _people(RoleCode.OFFICER, in_agency) if p not in leaders and p not in reviewers]
    in_county = Q(region__adcode__startswith=county.adcode[:6])
    admins = _people(RoleCode.ADMIN, in_county & Q(region=county))
    justice = _people(RoleCode.JUSTICE_BUREAU, in_county)
    if not (leaders and reviewers and justice and len(officers) >= 2):
        raise LookupError(f"{township.name} lacks a leader, reviewer, justice member or two officers")
    admin = admins[0].user if admins else None
    lead, second = ensure_certified(officers, item.domain, days, admin=admin)
    return Cast(
        township=township,
        agency=agency,
        officer=lead.user,
        second=second.user,
        leader=leaders[0].user,
        reviewer=reviewers[0].user,
        justice=justice[0].user,
        admin=admin,
    )
