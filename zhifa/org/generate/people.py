"""Generated people of a county: accounts, roles, certificates (行政执法证) and the demo's special cases."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from zhifa.org.generate.names import DEPARTMENTS, person_name, phone_number
from zhifa.org.generate.plan import Shared, spread
from zhifa.org.generate.structure import County, bulk
from zhifa.org.models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    Person,
    PersonStatus,
    RoleCode,
    Secondment,
)

# Domains a township team typically receives by delegation (赋权) besides urban management.
TOWNSHIP_DOMAINS = (
    "market",
    "ecology",
    "natural_resources",
    "agriculture",
    "housing",
    "emergency",
    "forestry",
    "water",
    "culture_tourism",
    "health",
    "transport",
)
EXPIRING_IN_DAYS = (3, 9, 16, 23, 29)  # the demo's certificates due for renewal within 30 days
REVOKED_REASON = "持证人在执法检查中违反执法规范，经司法局审查依法注销证件"
RETIRED_REASON = "持证人退休，证件依法注销"
EXPIRED_REASON = "有效期届满"


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Spec:
    """A person to create; `domains` is None for people without a certificate."""

    name: str
    region: object
    roles: list[str]
    account: bool
    agency: object = None
    team: object = None
    command_center: object = None
    domains: list[str] | None = None
    person: Person | None = None
    extra: dict = field(default_factory=dict)


def _specs(county: County, shared: Shared) -> tuple[list[Spec], list[list[Spec]], list[list[Spec]]]:
    plan, rng = county.plan, shared.rng
    township_specs: list[list[Spec]] = []
    for township, tplan in zip(county.townships, plan.townships, strict=True):
        specs = []
        for i in range(tplan.officers):
            roles = (
                [RoleCode.TEAM_LEADER, RoleCode.OFFICER]
                if i == 0
                else ([RoleCode.LEGAL_REVIEWER, RoleCode.OFFICER] if i == 1 else [RoleCode.OFFICER])
            )
            domains = ["urban", *rng.sample(TOWNSHIP_DOMAINS, rng.randint(1, 3))]
            specs.append(
                Spec(
                    person_name(rng),
                    township.region,
                    roles,
                    True,
                    township.agency,
                    township.team,
                    domains=domains,
                )
            )
        township_specs.append(specs)
    department_specs: list[list[Spec]] = []
    for agency, spec, count in zip(
        county.department_agencies, DEPARTMENTS, plan.department_officers, strict=True
    ):
        department_specs.append(
            [
                Spec(
                    person_name(rng),
                    county.region,
                    [RoleCode.OFFICER],
                    True,
                    agency,
                    domains=list(spec.domains),
                )
                for _ in range(count)
            ]
        )
    justice = county.department_agencies[county.department("司法")]
    others = [
        Spec(person_name(rng), county.region, [RoleCode.JUSTICE_BUREAU], True, justice)
        for _ in range(plan.justice_staff)
    ]
    others += [
        Spec(
            person_name(rng), county.region, [RoleCode.DISPATCHER], True, command_center=county.command_center
        )
        for _ in range(plan.dispatchers)
    ]
    others += [Spec(person_name(rng), county.region, [RoleCode.ADMIN], True) for _ in range(plan.admins)]
    total_workers = sum(t.grid_workers for t in plan.townships)
    accounts = total_workers if plan.grid_worker_accounts is None else plan.grid_worker_accounts
    quotas = spread(accounts, len(county.townships))
    for township, tplan, quota in zip(county.townships, plan.townships, quotas, strict=True):
        for j in range(tplan.grid_workers):
            community = township.communities[j % len(township.communities)]
            others.append(
                Spec(
                    person_name(rng),
                    community,
                    [RoleCode.GRID_WORKER],
                    j < quota,
                    township.agency,
                    extra={"township": township},
                )
            )
    return others, township_specs, department_specs


def build_people(county: County, shared: Shared) -> None:
    """People with accounts (one shared password hash), roles, certificates and the demo's special cases."""
    others, township_specs, department_specs = _specs(county, shared)
    specs = [s for group in township_specs + department_specs for s in group] + others
    user_model = get_user_model()
    users = bulk(
        shared,
        [
            user_model(username=f"u{county.prefix}{n:05d}", password=shared.password_hash)
            for n, spec in enumerate(specs, start=1)
            if spec.account
        ],
    )
    accounts = iter(users)
    people = [
        Person(
            user=next(accounts) if spec.account else None,
            name=spec.name,
            phone=phone_number(shared.rng),
            region=spec.region,
            agency=spec.agency,
            team=spec.team,
            command_center=spec.command_center,
        )
        for spec in specs
    ]
    bulk(shared, people)
    through = Person.roles.through
    bulk(
        shared,
        [
            through(person_id=p.pk, role_id=code)
            for p, s in zip(people, specs, strict=True)
            for code in s.roles
        ],
        "org.person_roles",
    )
    for person, spec in zip(people, specs, strict=True):
        spec.person = person
        if "township" in spec.extra:
            spec.extra["township"].grid_workers.append(person)
    for township, group in zip(county.townships, township_specs, strict=True):
        township.officers = [s.person for s in group]
    county.department_officers = [[s.person for s in group] for group in department_specs]
    by_role = {
        RoleCode.JUSTICE_BUREAU: county.justice_staff,
        RoleCode.DISPATCHER: county.dispatchers,
        RoleCode.ADMIN: county.admins,
    }
    for spec in others:
        if spec.roles[0] in by_role:
            by_role[spec.roles[0]].append(spec.person)
    holders = [s for s in specs if s.domains is not None]
    build_certificates(county, shared, holders)


def _current_dates(shared: Shared) -> tuple[datetime.date, datetime.date]:
    """A 5-year certificate issued 1 month to ~5 years ago that is still valid for more than 30 days."""
    valid_from = shared.today - datetime.timedelta(days=shared.rng.randint(30, 5 * 365 - 40))
    return valid_from, add_years(valid_from, 5) - datetime.timedelta(days=1)


def build_certificates(county: County, shared: Shared, holders: list[Spec]) -> None:
    plan = county.plan
    wanted = len(holders) if plan.certificates is None else plan.certificates
    current = holders[: min(wanted, len(holders))]
    earlier = holders[: max(0, min(wanted - len(current), len(current)))]
    certificates: list[Certificate] = []
    domains: list[list[str]] = []
    changes: list[tuple[int, str, str, datetime.date]] = []
    serial = 0
    for spec in current:
        serial += 1
        valid_from, valid_to = _current_dates(shared)
        certificates.append(
            Certificate(
                number=f"{county.prefix}{serial:06d}",
                holder=spec.person,
                issuer=plan.issuer,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
        domains.append(spec.domains or [])
    for index, spec in enumerate(earlier):
        # Some officers keep the certificate they held before their current one: expired by date.
        serial += 1
        valid_to = certificates[index].valid_from - datetime.timedelta(days=1)
        certificates.append(
            Certificate(
                number=f"{county.prefix}{serial:06d}",
                holder=spec.person,
                issuer=plan.issuer,
                valid_from=add_years(valid_to, -5) + datetime.timedelta(days=1),
                valid_to=valid_to,
                status=CertificateStatus.EXPIRED,
                status_reason=EXPIRED_REASON,
                status_date=valid_to + datetime.timedelta(days=1),
            )
        )
        domains.append(spec.domains or [])
    if plan.extras:
        changes = _special_cases(county, shared, current, certificates)
    bulk(shared, certificates)
    through = Certificate.domains.through
    bulk(
        shared,
        [
            through(certificate_id=c.pk, enforcementdomain_id=shared.domains[code].pk)
            for c, codes in zip(certificates, domains, strict=True)
            for code in codes
        ],
        "org.certificate_domains",
    )
    bulk(
        shared,
        [
            CertificateStatusChange(
                certificate=certificates[i], status=status, reason=reason, effective_date=day
            )
            for i, status, reason, day in changes
        ],
    )
    if plan.extras:
        _secondments(county, shared)


def _special_cases(
    county: County, shared: Shared, current: list[Spec], certificates: list[Certificate]
) -> list[tuple[int, str, str, datetime.date]]:
    """The demo's cases for the monthly review: expiring soon, one revoked, one retired holder."""
    today = shared.today
    index_of = {id(spec.person): i for i, spec in enumerate(current)}
    # Expiring within 30 days: one officer (not the leader or reviewer) in each of townships 2-6.
    for days, township in zip(EXPIRING_IN_DAYS, county.townships[1:], strict=False):
        person = township.officers[-1]
        certificate = certificates[index_of[id(person)]]
        certificate.valid_to = today + datetime.timedelta(days=days)
        certificate.valid_from = add_years(certificate.valid_to, -5) + datetime.timedelta(days=1)
    changes = []
    # Revoked for cause (APL Art. 42: only certified officers may enforce; the justice bureau withdraws).
    revoked_holder = county.townships[len(county.townships) // 2].officers[-2]
    revoked_day = today - datetime.timedelta(days=41)
    i = index_of[id(revoked_holder)]
    certificates[i].status, certificates[i].status_reason, certificates[i].status_date = (
        CertificateStatus.REVOKED,
        REVOKED_REASON,
        revoked_day,
    )
    changes.append((i, CertificateStatus.REVOKED, REVOKED_REASON, revoked_day))
    # A retired officer: the certificate is revoked in the same step as the retirement (issue 2 point 4).
    retiree = county.department_officers[county.department("林业")][-1]
    retired_day = today - datetime.timedelta(days=63)
    Person.objects.filter(pk=retiree.pk).update(status=PersonStatus.RETIRED, status_date=retired_day)
    retiree.status, retiree.status_date = PersonStatus.RETIRED, retired_day
    i = index_of[id(retiree)]
    certificates[i].status, certificates[i].status_reason, certificates[i].status_date = (
        CertificateStatus.REVOKED,
        RETIRED_REASON,
        retired_day,
    )
    changes.append((i, CertificateStatus.REVOKED, RETIRED_REASON, retired_day))
    return changes


def _secondments(county: County, shared: Shared) -> None:
    """Two department officers seconded (下沉, "县属乡用") to the teams of the first two townships."""
    rows = []
    for short, township in zip(("市监", "城管"), county.townships[:2], strict=False):
        index = county.department(short)
        person = county.department_officers[index][-1]
        rows.append(
            Secondment(
                person=person,
                from_agency=county.department_agencies[index],
                to_agency=township.agency,
                to_team=township.team,
                start_date=shared.today - datetime.timedelta(days=120),
                end_date=shared.today + datetime.timedelta(days=245),
                note="县属乡用，派驻乡镇综合执法队",
            )
        )
    bulk(shared, rows)
