"""What each role's home page shows (reads only, through scoping)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from zhifa.org.models import Certificate, CertificateStatus, GridCell, Person, PersonStatus, RoleCode, Zone
from zhifa.org.scoping import person_of, role_codes, visible


@dataclass
class HomeData:
    """The figures and lists on the home page; sections are shown per role."""

    roles: frozenset[str]
    person: Person | None
    my_certificates: list[Certificate] = field(default_factory=list)
    people_active: int = 0
    certificates_valid: int = 0
    certificates_expiring: int = 0
    holders_inactive: int = 0
    team_members: list[Person] = field(default_factory=list)
    my_grid_cells: list[GridCell] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)


def home_data(user, today: datetime.date | None = None) -> HomeData:
    """Collect the home page figures for `user` with a fixed number of queries."""
    today = today or datetime.date.today()
    person = person_of(user)
    roles = role_codes(user)
    data = HomeData(roles=roles, person=person)
    horizon = today + datetime.timedelta(days=settings.ZHIFA_CERT_EXPIRY_WARNING_DAYS)
    if person is not None:
        data.my_certificates = list(
            Certificate.objects.filter(holder=person).prefetch_related("domains").order_by("-valid_to")
        )
    people = visible(Person.objects.all(), user)
    data.people_active = people.filter(status=PersonStatus.ACTIVE).count()
    certs = visible(Certificate.objects.all(), user)
    counts = certs.aggregate(
        valid=Count("id", filter=Q(status=CertificateStatus.VALID, valid_to__gte=today)),
        expiring=Count(
            "id", filter=Q(status=CertificateStatus.VALID, valid_to__gte=today, valid_to__lte=horizon)
        ),
        inactive=Count(
            "id", filter=Q(status=CertificateStatus.VALID) & ~Q(holder__status=PersonStatus.ACTIVE)
        ),
    )
    data.certificates_valid = counts["valid"]
    data.certificates_expiring = counts["expiring"]
    data.holders_inactive = counts["inactive"]
    if person is not None and person.team_id and RoleCode.TEAM_LEADER in roles:
        data.team_members = list(
            visible(Person.objects.filter(team_id=person.team_id), user)
            .prefetch_related("certificates", "roles")
            .order_by("name")
        )
    if person is not None and roles & {RoleCode.GRID_WORKER, RoleCode.DISPATCHER}:
        data.my_grid_cells = list(
            visible(GridCell.objects.filter(Q(workers=person) | Q(leader=person)), user).distinct()[:50]
        )
    if person is not None and RoleCode.ZONE_LEADER in roles:
        data.zones = list(
            Zone.objects.filter(Q(leader=person) | Q(deputy=person)).prefetch_related("townships").distinct()
        )
    return data
