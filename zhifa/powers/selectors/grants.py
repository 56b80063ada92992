"""Reads of grant lists, their entries, steps and claims; the public disclosure of granted powers.

Signed-in reads go through org.scoping.visible (a county's versions are its directory: everyone in the
county may read them; another county's version by id is a 404). The public disclosure (APL Art. 24:
the grant decision is published; APL Art. 39: the implementing body and basis are public) shows
published versions only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from zhifa.org.models import Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.scoping import get_visible_or_404, visible
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, GrantStep, PowerItem
from zhifa.powers.resolver import grant_list_in_force


def grant_lists_visible(user: Any, county: str | None = None) -> QuerySet[GrantList]:
    """The versions the user may read, newest first per county; `county` filters by its 12-digit code."""
    qs = visible(GrantList.objects.select_related("county", "guidance", "based_on"), user)
    if county:
        qs = qs.filter(county__adcode=county)
    return qs.order_by("county__adcode", "-number")


def grant_list_detail(user: Any, pk: Any) -> GrantList:
    """One version with its entries and steps, or 404 when the user may not read it."""
    qs = GrantList.objects.select_related("county", "guidance", "based_on").prefetch_related(
        Prefetch(
            "entries",
            GrantEntry.objects.select_related("item", "township").order_by("township__adcode", "item__code"),
        ),
        Prefetch("steps", GrantStep.objects.select_related("actor__person", "township")),
    )
    return get_visible_or_404(qs, user, pk=pk)


def townships_of(county: Region) -> list[Region]:
    return list(Region.objects.filter(parent=county, level__in=TOWNSHIP_LEVELS).order_by("adcode"))


@dataclass
class TownshipEntries:
    township: Region
    entries: list[GrantEntry] = field(default_factory=list)


def entries_by_township(grant_list: GrantList) -> list[TownshipEntries]:
    """The version's entries grouped by township (every township of the county, empty ones too)."""
    groups = {t.pk: TownshipEntries(t) for t in townships_of(grant_list.county)}
    for entry in grant_list.entries.all():
        groups.setdefault(entry.township_id, TownshipEntries(entry.township)).entries.append(entry)
    return sorted(groups.values(), key=lambda g: g.township.adcode)


def township_of_county_or_404(user: Any, adcode: str, county_id: int | None = None) -> Region:
    """A township the user may read (optionally of the given county), else 404."""
    township = get_visible_or_404(Region.objects.select_related("parent"), user, adcode=adcode)
    if township.level not in TOWNSHIP_LEVELS or (county_id is not None and township.parent_id != county_id):
        raise Http404
    return township


def selectable_items(grant_list: GrantList) -> QuerySet[PowerItem]:
    """What a township may choose from: the guidance list's items, else the active catalogue."""
    if grant_list.guidance_id is not None:
        qs = grant_list.guidance.items.filter(is_active=True)
    else:
        qs = PowerItem.objects.filter(is_active=True)
    return qs.select_related("domain").order_by("code")


@dataclass
class DiffRow:
    township: Region
    item: PowerItem
    old_note: str = ""
    new_note: str = ""


@dataclass
class GrantDiff:
    """Added, removed and changed (note changed) entries between two versions, per township and item."""

    old: GrantList
    new: GrantList
    added: list[DiffRow] = field(default_factory=list)
    removed: list[DiffRow] = field(default_factory=list)
    changed: list[DiffRow] = field(default_factory=list)


def grant_list_diff(old: GrantList, new: GrantList) -> GrantDiff:
    """Compare two versions by (township, item)."""

    def entries(grant_list: GrantList) -> dict[tuple[int, int], GrantEntry]:
        qs = GrantEntry.objects.filter(grant_list=grant_list).select_related("item", "township")
        return {(e.township_id, e.item_id): e for e in qs}

    before, after = entries(old), entries(new)
    diff = GrantDiff(old, new)
    for key in sorted(set(before) | set(after), key=lambda k: (_sort_key(before, after, k))):
        a, b = before.get(key), after.get(key)
        if a is None:
            diff.added.append(DiffRow(b.township, b.item, new_note=b.note))
        elif b is None:
            diff.removed.append(DiffRow(a.township, a.item, old_note=a.note))
        elif a.note != b.note:
            diff.changed.append(DiffRow(b.township, b.item, a.note, b.note))
    return diff


def _sort_key(before: dict, after: dict, key: tuple[int, int]) -> tuple[str, str]:
    entry = before.get(key) or after[key]
    return entry.township.adcode, entry.item.code


def active_claims(grant_list: GrantList, township: Region, on_date: datetime.date) -> dict[int, Claim]:
    """The township's claims in the version, by item id, that run on `on_date` (or start later)."""
    qs = Claim.objects.filter(grant_list=grant_list, township=township).exclude(withdrawn_on__lte=on_date)
    return {c.item_id: c for c in qs}


@dataclass
class ClaimRow:
    entry: GrantEntry
    claim: Claim | None


def claim_rows(grant_list: GrantList | None, township: Region, on_date: datetime.date) -> list[ClaimRow]:
    """The items granted to the township in the version, each with its running claim (if any)."""
    if grant_list is None:
        return []
    claims = active_claims(grant_list, township, on_date)
    entries = (
        GrantEntry.objects.filter(grant_list=grant_list, township=township)
        .select_related("item", "item__domain")
        .order_by("item__code")
    )
    return [ClaimRow(e, claims.get(e.item_id)) for e in entries]


def current_version_for_claims(county: Region, on_date: datetime.date) -> GrantList | None:
    """The version townships claim from: the one in force, else the next published one not yet in force."""
    in_force = grant_list_in_force(county, on_date)
    upcoming = (
        GrantList.objects.filter(county=county, status=GrantListStatus.PUBLISHED, effective_from__gt=on_date)
        .order_by("effective_from")
        .first()
    )
    return upcoming or in_force


def claims_visible(user: Any, township: str | None = None) -> QuerySet[Claim]:
    """Claims the user may read; `township` filters by the township's code."""
    qs = visible(Claim.objects.select_related("grant_list", "township", "item"), user)
    if township:
        qs = qs.filter(township__adcode=township)
    return qs.order_by("township__adcode", "-grant_list__number", "item__code")


def power_items_search(
    q: str | None = None, power_type: str | None = None, domain: str | None = None
) -> QuerySet[PowerItem]:
    """The public catalogue filtered by text (code, name, keywords, basis), type and domain code."""
    qs = PowerItem.objects.filter(is_active=True).select_related("domain")
    if q:
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(keywords__icontains=q)
            | Q(basis_text__icontains=q)
        )
    if power_type:
        qs = qs.filter(power_type=power_type)
    if domain:
        qs = qs.filter(domain__code=domain)
    return qs.order_by("code")


# --- Public disclosure (no login): published versions only ------------------------------------------


def public_counties() -> list[tuple[Region, list[Region]]]:
    """Counties with at least one published version, each with its townships."""
    counties = Region.objects.filter(
        level=RegionLevel.COUNTY, grant_lists__status=GrantListStatus.PUBLISHED
    ).distinct()
    return [(c, townships_of(c)) for c in counties.order_by("adcode")]


def public_township_or_404(adcode: str) -> Region:
    township = (
        Region.objects.select_related("parent").filter(adcode=adcode, level__in=TOWNSHIP_LEVELS).first()
    )
    if township is None or township.parent is None:
        raise Http404
    return township


def public_versions(township: Region) -> list[GrantList]:
    """The county's published versions, newest first."""
    return list(
        GrantList.objects.filter(county_id=township.parent_id, status=GrantListStatus.PUBLISHED).order_by(
            "-effective_from", "-number"
        )
    )


def public_version_or_404(township: Region, number: int) -> GrantList:
    grant_list = GrantList.objects.filter(
        county_id=township.parent_id, number=number, status=GrantListStatus.PUBLISHED
    ).first()
    if grant_list is None:
        raise Http404
    return grant_list


@dataclass
class PublicList:
    grant_list: GrantList | None
    claimed: list[ClaimRow]
    unclaimed: list[ClaimRow]


def public_list(township: Region, grant_list: GrantList | None, on_date: datetime.date) -> PublicList:
    """A version's items granted to the township, split into claimed (township acts) and unclaimed."""
    rows = claim_rows(grant_list, township, on_date)
    claimed = [r for r in rows if r.claim is not None and r.claim.claimed_on <= on_date]
    unclaimed = [r for r in rows if r not in claimed]
    return PublicList(grant_list, claimed, unclaimed)
