"""Public reads of the portal's "before enforcement" pages (事前公开, GO118 (四)).

Who enforces in an area (执法主体), with which powers (APL Art. 24, 39), by which certified staff
(持证上岗, GO118 (五)), by which procedure. These are public data: no user scoping, but every read is
limited to the area and returns public fields only (PIPL Art. 34: nothing beyond what the duty to
publish needs, so never a phone number, an ID number or a user name). Every function runs a fixed
number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from zhifa.cases.settings_defaults import SettingValue, settings_for
from zhifa.disclosure.selectors.portal_area import county_of, is_county
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    CertificateStatus,
    Department,
    DepartmentKind,
    EnforcementDomain,
    PersonStatus,
    Region,
    RegionLevel,
    Team,
)
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.powers.models import Claim, GrantEntry, GrantList, PowerType
from zhifa.powers.resolver import grant_list_in_force
from zhifa.powers.selectors.grants import PublicList, public_list

OFFICERS_PER_PAGE = 20


# --- the portal index -----------------------------------------------------------------------------


@dataclass
class CountyEntry:
    county: Region
    townships: list[Region] = field(default_factory=list)


def portal_counties() -> list[CountyEntry]:
    """Every county with its townships and streets, by code (two queries)."""
    counties = {
        c.pk: CountyEntry(c)
        for c in Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent").order_by("adcode")
    }
    townships = Region.objects.filter(level__in=TOWNSHIP_LEVELS, parent_id__in=list(counties)).order_by(
        "adcode"
    )
    for township in townships:
        counties[township.parent_id].townships.append(township)
    return list(counties.values())


# --- enforcement agencies (执法主体) ----------------------------------------------------------------


def area_agencies(area: Region) -> QuerySet[Agency]:
    """The active enforcement agencies of the area (not evaluated).

    A county: its departments that are agencies and every township government (APL Art. 22-24: county
    departments by default, townships for the powers granted to them). A township: its own government and
    the county's functional departments with enforcement domains, which keep every power the township has
    not taken on (zhifa.powers.resolver, rule 3).
    """
    county = county_of(area)
    departments = Q(kind=AgencyKind.DEPARTMENT, region=county)
    if is_county(area):
        condition = departments | Q(kind=AgencyKind.TOWNSHIP_GOVERNMENT, region__parent=county)
        own_first = AgencyKind.DEPARTMENT
    else:
        with_domains = Department.objects.filter(
            region=county, kind=DepartmentKind.FUNCTIONAL, domains__isnull=False
        ).values("id")
        condition = Q(kind=AgencyKind.TOWNSHIP_GOVERNMENT, region=area) | (
            departments & Q(department_id__in=with_domains)
        )
        own_first = AgencyKind.TOWNSHIP_GOVERNMENT
    rank = Case(When(kind=own_first, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Agency.objects.filter(condition, is_active=True)
        .annotate(portal_rank=rank)
        .order_by("portal_rank", "region__adcode", "name")
    )


def valid_certificates(today: datetime.date) -> QuerySet[Certificate]:
    """Certificates valid today held by someone still on the post (APL Art. 42; LAW.md section 5):
    status "valid", today within valid_from..valid_to. Suspended, revoked and expired ones never show."""
    return Certificate.objects.filter(
        status=CertificateStatus.VALID,
        valid_from__lte=today,
        valid_to__gte=today,
        holder__status=PersonStatus.ACTIVE,
    )


def claims_in_force(grant_list: GrantList | None, today: datetime.date) -> QuerySet[Claim]:
    """Claims of the version in force that run today (the township acts in its own name, APL Art. 24)."""
    if grant_list is None:
        return Claim.objects.none()
    return Claim.objects.filter(grant_list=grant_list, claimed_on__lte=today).exclude(withdrawn_on__lte=today)


@dataclass
class AgencyRow:
    """What the agencies page shows of one agency: its public identity, fields and teams."""

    name: str
    kind: str
    kind_label: str
    region_name: str
    uscc: str
    domains: list[str]
    teams: list[str]
    officers: int
    agency_id: int


def agency_rows(area: Region, today: datetime.date) -> list[AgencyRow]:
    """The area's agencies with kind, USCC, enforcement domains, teams and certified staff (five queries).

    A department's domains are its own; a township government's are those of the granted items it has
    claimed and exercises today.
    """
    agencies = list(
        area_agencies(area)
        .select_related("region", "department")
        .prefetch_related(
            Prefetch("department__domains", queryset=EnforcementDomain.objects.order_by("code")),
            Prefetch("teams", queryset=Team.objects.order_by("name")),
        )
    )
    township_ids = [a.region_id for a in agencies if a.kind == AgencyKind.TOWNSHIP_GOVERNMENT]
    claimed: dict[int, set[str]] = defaultdict(set)
    if township_ids:
        grant_list = grant_list_in_force(county_of(area), today)
        pairs = (
            claims_in_force(grant_list, today)
            .filter(township_id__in=township_ids, item__domain__isnull=False)
            .values_list("township_id", "item__domain__name")
            .distinct()
        )
        for township_id, domain_name in pairs:
            claimed[township_id].add(domain_name)
    officers = dict(
        valid_certificates(today)
        .filter(holder__agency_id__in=[a.pk for a in agencies])
        .values("holder__agency_id")
        .annotate(n=Count("holder", distinct=True))
        .values_list("holder__agency_id", "n")
    )
    rows = []
    for agency in agencies:
        if agency.department is not None:
            domains = [d.name for d in agency.department.domains.all()]
        else:
            domains = sorted(claimed.get(agency.region_id, ()))
        rows.append(
            AgencyRow(
                name=agency.name,
                kind=agency.kind,
                kind_label=str(AgencyKind(agency.kind).label),
                region_name=agency.region.name,
                uscc=agency.uscc,
                domains=domains,
                teams=[t.name for t in agency.teams.all()],
                officers=officers.get(agency.pk, 0),
                agency_id=agency.pk,
            )
        )
    return rows


# --- certified staff (持证上岗公示) ------------------------------------------------------------------


@dataclass(frozen=True)
class PublicOfficer:
    """Exactly what the public may see of a certified officer (GO118 (五); PIPL Art. 34)."""

    name: str
    agency: str
    number: str
    domains: tuple[str, ...]
    issuer: str
    valid_from: datetime.date
    valid_to: datetime.date


@dataclass
class OfficerListing:
    page: Page
    agencies: list[Agency]
    domains: list[EnforcementDomain]
    agency: Agency | None = None
    domain: EnforcementDomain | None = None
    errors: list[str] = field(default_factory=list)


def officer_listing(area: Region, params: Mapping[str, str], today: datetime.date) -> OfficerListing:
    """One page of the certificates valid today held by staff of the area's agencies (six queries).

    `params` are the query string: agency (an agency id of the area), domain (a domain code), page.
    An unknown agency or domain is reported in Chinese, naming the field, and the filter is left off.
    """
    agencies = list(area_agencies(area))
    certificates = valid_certificates(today).filter(holder__agency__in=[a.pk for a in agencies])
    domains = list(EnforcementDomain.objects.filter(id__in=certificates.values("domains")).order_by("code"))
    listing = OfficerListing(
        page=Paginator([], OFFICERS_PER_PAGE).get_page(1), agencies=agencies, domains=domains
    )
    agency_param = (params.get("agency") or "").strip()
    if agency_param:
        listing.agency = next((a for a in agencies if str(a.pk) == agency_param), None)
        if listing.agency is None:
            listing.errors.append(_("执法主体：所选单位不属于本地区，已显示全部单位。"))
        else:
            certificates = certificates.filter(holder__agency=listing.agency.pk)
    domain_param = (params.get("domain") or "").strip()
    if domain_param:
        listing.domain = next((d for d in domains if d.code == domain_param), None)
        if listing.domain is None:
            listing.errors.append(_("执法领域：本地区没有该领域的持证人员，已显示全部领域。"))
        else:
            with_domain = Certificate.objects.filter(domains=listing.domain.pk).values("id")
            certificates = certificates.filter(id__in=with_domain)
    ordered = (
        certificates.select_related("holder__agency")
        .only("number", "issuer", "valid_from", "valid_to", "holder__name", "holder__agency__name")
        .prefetch_related(Prefetch("domains", queryset=EnforcementDomain.objects.order_by("code")))
        .order_by("holder__agency__region__adcode", "holder__agency__name", "holder__name", "number")
    )
    page = Paginator(ordered, OFFICERS_PER_PAGE).get_page(params.get("page"))
    page.object_list = [
        PublicOfficer(
            name=c.holder.name,
            agency=c.holder.agency.name,
            number=c.number,
            domains=tuple(d.name for d in c.domains.all()),
            issuer=c.issuer,
            valid_from=c.valid_from,
            valid_to=c.valid_to,
        )
        for c in page.object_list
    ]
    listing.page = page
    return listing


# --- powers (职权) ------------------------------------------------------------------------------------


def township_powers(township: Region, today: datetime.date) -> PublicList:
    """The township's granted items in the version in force, claimed (in force today) and not yet claimed."""
    return public_list(township, grant_list_in_force(township.parent, today), today)


@dataclass
class TownshipPowerCount:
    township: Region
    granted: int
    claimed: int


@dataclass
class GrantedItem:
    code: str
    name: str
    power_type: str
    domain: str
    townships: int


@dataclass
class CountyPowers:
    grant_list: GrantList | None
    townships: list[TownshipPowerCount]
    items: list[GrantedItem]


def county_powers(county: Region, townships: list[Region], today: datetime.date) -> CountyPowers:
    """The county's version in force: per township the granted and claimed counts, and its items with the
    number of townships each is granted to (four queries)."""
    grant_list = grant_list_in_force(county, today)
    if grant_list is None:
        return CountyPowers(None, [TownshipPowerCount(t, 0, 0) for t in townships], [])
    entries = GrantEntry.objects.filter(grant_list=grant_list)
    granted = dict(entries.values("township_id").annotate(n=Count("id")).values_list("township_id", "n"))
    claimed = dict(
        claims_in_force(grant_list, today)
        .values("township_id")
        .annotate(n=Count("id"))
        .values_list("township_id", "n")
    )
    items = [
        GrantedItem(
            code=row["item__code"],
            name=row["item__name"],
            power_type=str(PowerType(row["item__power_type"]).label),
            domain=row["item__domain__name"] or "",
            townships=row["n"],
        )
        for row in entries.values("item__code", "item__name", "item__power_type", "item__domain__name")
        .annotate(n=Count("township", distinct=True))
        .order_by("item__code")
    ]
    counts = [TownshipPowerCount(t, granted.get(t.pk, 0), claimed.get(t.pk, 0)) for t in townships]
    return CountyPowers(grant_list, counts, items)


# --- the home page's counts and the procedure settings ---------------------------------------------


@dataclass
class HomeCounts:
    agencies: int
    powers: int
    officers: int
    grant_list: GrantList | None


def home_counts(area: Region, today: datetime.date) -> HomeCounts:
    """The short counts of the home page's "before" sections (four queries)."""
    agencies = area_agencies(area)
    grant_list = grant_list_in_force(county_of(area), today)
    claims = claims_in_force(grant_list, today)
    claims = claims.filter(township__parent=area) if is_county(area) else claims.filter(township=area)
    officers = (
        valid_certificates(today).filter(holder__agency__in=agencies.values("id")).values("holder").distinct()
    )
    return HomeCounts(
        agencies=agencies.count(), powers=claims.count(), officers=officers.count(), grant_list=grant_list
    )


def area_settings(area: Region) -> dict[str, SettingValue]:
    """The procedure settings local rules set for the area (LAW.md, last table), as the area's own
    agency sees them: a township's government, else the region's rows and the defaults (one or two
    queries)."""
    agency = None
    if not is_county(area):
        agency = (
            Agency.objects.filter(kind=AgencyKind.TOWNSHIP_GOVERNMENT, region=area, is_active=True)
            .select_related("region")
            .order_by("pk")
            .first()
        )
    # An unsaved agency of the area reads the region's rows only (agency_id IS NULL).
    return settings_for(agency or Agency(region=area))
