"""The competence resolver: who is competent for this item at this place on this date.

DESIGN.md: one function answers it; intake, cases, inspections and disclosure all ask it.
APL Art. 24 (township grants) and the Henan/Zhengzhou practice [HN-2025] in LAW.md section 8: once an
item is granted and the township has taken it on, the township acts in its own name and the original
department no longer does there; an item not granted, or granted but not claimed, stays with the
original department (APL Art. 22-23: county-level departments by default).

The rule, for `item`, the township `T` containing `place`, its county `C` and a date `d`:
1. the grant list in force is C's published version with the latest `effective_from <= d`
   (ties: the higher version number); none -> the department;
2. T is competent iff that version grants the item to T and T's claim of it in that version runs on d
   (`claimed_on <= d` and not withdrawn by d);
3. otherwise the competent agency is the county department whose domains include the item's domain.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zhifa.org.models import Agency, AgencyKind, Region, RegionLevel
from zhifa.org.models.structure import adcode_prefix
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, PowerItem


@dataclass(frozen=True)
class Competence:
    """The answer: the agency (None if no agency is set up), whether it is the township, and why."""

    item: PowerItem
    agency: Agency | None
    township: Region | None
    by_township: bool
    reason: str
    grant_list: GrantList | None = None
    claim: Claim | None = None


@dataclass(frozen=True)
class MatterCompetence:
    """The competence for a matter touching several items; `joint_meeting` when agencies differ."""

    parts: list[Competence] = field(default_factory=list)

    @property
    def agencies(self) -> list[Agency]:
        seen: dict[int, Agency] = {}
        for part in self.parts:
            if part.agency is not None:
                seen.setdefault(part.agency.pk, part.agency)
        return list(seen.values())

    @property
    def joint_meeting(self) -> bool:
        """Several competent agencies: the matter goes to the joint meeting (联席会议, seed 001)."""
        return len(self.agencies) > 1


def _township_and_county(place: Region | str) -> tuple[Region | None, Region]:
    adcode = place if isinstance(place, str) else place.adcode
    township_code = adcode_prefix(adcode, RegionLevel.TOWNSHIP).ljust(12, "0")
    county_code = adcode_prefix(adcode, RegionLevel.COUNTY).ljust(12, "0")
    regions = {r.adcode: r for r in Region.objects.filter(adcode__in=[township_code, county_code])}
    if county_code not in regions:
        raise Region.DoesNotExist(f"no county for {adcode}")
    township = regions.get(township_code) if township_code != county_code else None
    return township, regions[county_code]


def grant_list_in_force(county: Region, on_date: datetime.date) -> GrantList | None:
    """The county's published version in force on `on_date`, if any."""
    return (
        GrantList.objects.filter(county=county, status=GrantListStatus.PUBLISHED, effective_from__lte=on_date)
        .order_by("-effective_from", "-number")
        .first()
    )


def department_agency(item: PowerItem, county: Region) -> Agency | None:
    """The county department agency whose domains cover the item's domain (the original subject)."""
    if item.domain_id is None:
        return None
    return (
        Agency.objects.filter(
            kind=AgencyKind.DEPARTMENT, is_active=True, region=county, department__domains=item.domain_id
        )
        .order_by("pk")
        .first()
    )


def township_agency(township: Region) -> Agency | None:
    return (
        Agency.objects.filter(kind=AgencyKind.TOWNSHIP_GOVERNMENT, is_active=True, region=township)
        .order_by("pk")
        .first()
    )


def competent_agency(item: PowerItem, place: Region | str, on_date: datetime.date) -> Competence:
    """Who is competent for `item` at `place` (a region or its 12-digit code) on `on_date`, and why."""
    township, county = _township_and_county(place)

    def department(reason: str, grant_list: GrantList | None = None) -> Competence:
        return Competence(item, department_agency(item, county), township, False, reason, grant_list)

    grant_list = grant_list_in_force(county, on_date)
    if grant_list is None:
        return department(_("%(date)s 无生效的赋权清单，由原实施部门管辖。") % {"date": on_date.isoformat()})
    if township is None:
        return department(_("地点不在任何乡镇（街道）内，由原实施部门管辖。"), grant_list)
    if not GrantEntry.objects.filter(grant_list=grant_list, item=item, township=township).exists():
        return department(
            _("%(list)s 未将该事项赋予%(township)s，由原实施部门管辖。")
            % {"list": grant_list, "township": township.name},
            grant_list,
        )
    claim = (
        Claim.objects.filter(grant_list=grant_list, item=item, township=township, claimed_on__lte=on_date)
        .exclude(withdrawn_on__lte=on_date)
        .first()
    )
    if claim is None:
        return department(
            _("%(list)s 已赋予%(township)s，但乡镇尚未认领，仍由原实施部门管辖。")
            % {"list": grant_list, "township": township.name},
            grant_list,
        )
    return Competence(
        item,
        township_agency(township),
        township,
        True,
        _("依据 %(list)s（%(date)s 起生效），%(township)s 已于 %(claimed)s 认领，由乡镇管辖。")
        % {
            "list": grant_list,
            "date": grant_list.effective_from.isoformat(),
            "township": township.name,
            "claimed": claim.claimed_on.isoformat(),
        },
        grant_list,
        claim,
    )


def competence_for_matter(
    items: list[PowerItem], place: Region | str, on_date: datetime.date
) -> MatterCompetence:
    """Competence for each item of a matter; see `MatterCompetence.joint_meeting`."""
    return MatterCompetence([competent_agency(item, place, on_date) for item in items])
