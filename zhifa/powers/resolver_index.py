"""An in-memory index of the grant lists for bulk competence resolution (issue 3, Benchmark).

`zhifa.powers.resolver.competent_agency` asks the database a handful of questions per call; a report,
an import or a statistics run that resolves thousands of (item, township, date) triples loads the
published versions, their entries and claims once with `CompetenceIndex.load(...)` and then answers each
triple with dictionary look-ups and one bisection, in microseconds.

The rule is the resolver's own (see its module docstring; APL Art. 24, LAW.md section 8): the version in
force is the county's published version with the latest `effective_from <= d` (ties: the higher number);
the township is competent iff that version grants it the item and its claim in that version runs on `d`
(`claimed_on <= d < withdrawn_on`); otherwise the county department whose domains cover the item's domain
(APL Art. 22-23). A test (zhifa/powers/tests/test_resolver_properties.py) checks both agree.

The index is a snapshot: build a new one after a version is published or a claim changes.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from zhifa.org.models import Agency, AgencyKind, Region
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, PowerItem

# (agency id or None, competent through the township's claim, id of the version in force or None)
Resolution = tuple[int | None, bool, int | None]
_Key = tuple[int, int, int]  # (grant list id, item id, township id)


@dataclass
class _CountyVersions:
    """The county's published versions sorted by (effective_from, number): bisect on the dates."""

    dates: list[datetime.date] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


@dataclass
class CompetenceIndex:
    """Published versions, entries, claims and agencies of some counties, held in dicts and sorted lists."""

    versions: dict[int, _CountyVersions]  # county id -> its published versions
    county_of: dict[int, int]  # township region id -> county id
    township_by_code: dict[str, int]  # township adcode -> region id
    entries: set[_Key]
    claims: dict[_Key, tuple[datetime.date, datetime.date | None]]  # key -> (claimed_on, withdrawn_on)
    item_domain: dict[int, int | None]
    department_agency: dict[tuple[int, int], int]  # (county id, domain id) -> agency id
    township_agency: dict[int, int]  # township region id -> agency id

    @classmethod
    def load(cls, counties: Region | int | Iterable[Region | int]) -> CompetenceIndex:
        """Load the index for one county or several (regions or their ids): a fixed number of queries."""
        if isinstance(counties, Region | int):
            counties = [counties]
        county_ids = [c.pk if isinstance(c, Region) else c for c in counties]
        county_codes = dict(Region.objects.filter(pk__in=county_ids).values_list("pk", "adcode"))

        county_of: dict[int, int] = {}
        township_by_code: dict[str, int] = {}
        for county_id, code in county_codes.items():
            # The resolver's township is the region whose code is the place's 9-digit prefix + "000".
            rows = (
                Region.objects.filter(adcode__startswith=code[:6], adcode__endswith="000")
                .exclude(adcode__endswith="000000")
                .values_list("pk", "adcode")
            )
            for pk, adcode in rows:
                county_of[pk] = county_id
                township_by_code[adcode] = pk

        versions: dict[int, _CountyVersions] = {pk: _CountyVersions() for pk in county_codes}
        published = (
            GrantList.objects.filter(county_id__in=county_codes, status=GrantListStatus.PUBLISHED)
            .order_by("county_id", "effective_from", "number")
            .values_list("pk", "county_id", "effective_from")
        )
        list_ids = []
        for pk, county_id, effective_from in published:
            versions[county_id].dates.append(effective_from)
            versions[county_id].ids.append(pk)
            list_ids.append(pk)

        entries = set(
            GrantEntry.objects.filter(grant_list__in=list_ids).values_list(
                "grant_list_id", "item_id", "township_id"
            )
        )
        claims = {
            (list_id, item_id, township_id): (claimed_on, withdrawn_on)
            for list_id, item_id, township_id, claimed_on, withdrawn_on in Claim.objects.filter(
                grant_list__in=list_ids
            ).values_list("grant_list_id", "item_id", "township_id", "claimed_on", "withdrawn_on")
        }
        item_domain = dict(PowerItem.objects.values_list("pk", "domain_id"))

        department_agency: dict[tuple[int, int], int] = {}
        for pk, county_id, domain_id in (
            Agency.objects.filter(
                kind=AgencyKind.DEPARTMENT,
                is_active=True,
                region_id__in=county_codes,
                department__domains__isnull=False,
            )
            .order_by("pk")
            .values_list("pk", "region_id", "department__domains")
        ):
            department_agency.setdefault((county_id, domain_id), pk)  # the lowest pk, as the resolver
        township_agency: dict[int, int] = {}
        for pk, region_id in (
            Agency.objects.filter(
                kind=AgencyKind.TOWNSHIP_GOVERNMENT, is_active=True, region_id__in=list(county_of)
            )
            .order_by("pk")
            .values_list("pk", "region_id")
        ):
            township_agency.setdefault(region_id, pk)
        return cls(
            versions,
            county_of,
            township_by_code,
            entries,
            claims,
            item_domain,
            department_agency,
            township_agency,
        )

    def township_id(self, adcode: str) -> int | None:
        """The id of the township containing the place coded `adcode` (None if not in a loaded township)."""
        return self.township_by_code.get(adcode[:9] + "000")

    def version_in_force(self, county_id: int, on_date: datetime.date) -> int | None:
        """The id of the county's published version in force on `on_date` (ties: the higher number)."""
        county = self.versions[county_id]
        position = bisect_right(county.dates, on_date)
        return county.ids[position - 1] if position else None

    def resolve(self, item_id: int, township_id: int, on_date: datetime.date) -> Resolution:
        """(agency id, by_township, grant list id) for the item in the township on `on_date`.

        Same rule as `competent_agency` (APL Art. 24): the township only with a grant in the version in
        force and a claim running on the date; otherwise the county department. KeyError for a township
        outside the loaded counties.
        """
        county_id = self.county_of[township_id]
        list_id = self.version_in_force(county_id, on_date)
        if list_id is not None:
            key = (list_id, item_id, township_id)
            if key in self.entries:
                claim = self.claims.get(key)
                if claim is not None and claim[0] <= on_date and (claim[1] is None or claim[1] > on_date):
                    return self.township_agency.get(township_id), True, list_id
        domain_id = self.item_domain.get(item_id)
        agency_id = None if domain_id is None else self.department_agency.get((county_id, domain_id))
        return agency_id, False, list_id
