"""Writes to the organisation's working units: enforcement teams, zones (片区) and command centres.

Each service runs in one transaction and writes exactly one record event (APL Art. 47, 全过程记录);
updates take `expected_version` and refuse a concurrent change (CONFLICT).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode
from zhifa.org.models import Agency, CommandCenter, Person, PersonStatus, Region, RegionLevel, Team, Zone
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.services.structure_rules import (
    clean_text,
    county_prefix,
    delete_recorded,
    invalid,
    lock,
    require,
    save_recorded,
    update_recorded,
    within,
)

TEAM_FIELDS = ("name", "agency", "region", "parent")
ZONE_FIELDS = ("name", "county", "townships", "leader", "deputy")
COMMAND_CENTER_FIELDS = ("name", "region")


# --- Teams -------------------------------------------------------------------------------------


def _team_values(
    *, name: Any, agency: Agency | None, region: Region | None, parent: Team | None, current: Team | None
) -> dict:
    name = clean_text(name, field="name", label=_("名称"), model=Team)
    require(agency, field="agency", label=_("执法主体"))
    region = region or agency.region
    if not within(region, agency.region):
        raise invalid(_("队伍的区划必须在执法主体“%(name)s”的区划之内。") % {"name": agency.name}, "region")
    if parent is not None:
        if parent.agency_id != agency.pk:
            raise invalid(_("上级队伍必须属于同一执法主体。"), "parent")
        node: Team | None = parent
        while node is not None and current is not None:
            if node.pk == current.pk:
                raise invalid(_("上级队伍不能是本队或其下级队伍。"), "parent")
            node = node.parent
    return {"name": name, "agency": agency, "region": region, "parent": parent}


def team_create(
    *, actor: Any, name: str, agency: Agency, region: Region | None = None, parent: Team | None = None
) -> Team:
    """Create an enforcement team (综合执法大队/中队) of an agency; its region defaults to the agency's."""
    with transaction.atomic():
        values = _team_values(name=name, agency=agency, region=region, parent=parent, current=None)
        return save_recorded(
            actor=actor, obj=Team(**values), action="team.create", fields=TEAM_FIELDS, before=None
        )


def team_update(
    *,
    actor: Any,
    team: Team,
    name: str,
    agency: Agency,
    region: Region | None = None,
    parent: Team | None = None,
    expected_version: int | None = None,
) -> Team:
    """Change a team."""
    with transaction.atomic():
        current = lock(Team, team, expected_version)
        values = _team_values(name=name, agency=agency, region=region, parent=parent, current=current)
        return update_recorded(
            actor=actor, obj=current, action="team.update", fields=TEAM_FIELDS, values=values
        )


def team_delete(*, actor: Any, team: Team) -> None:
    """Delete a team without members or sub-teams."""
    with transaction.atomic():
        delete_recorded(actor=actor, obj=lock(Team, team), action="team.delete", fields=TEAM_FIELDS)


# --- Zones (片区) -------------------------------------------------------------------------------


def _zone_person(person: Person | None, county: Region, field: str, label: str) -> Person | None:
    if person is None:
        return None
    if person.status != PersonStatus.ACTIVE:
        raise invalid(_("%(label)s“%(name)s”不在岗。") % {"label": label, "name": person.name}, field)
    if not person.region.adcode.startswith(county_prefix(county)):
        raise invalid(
            _("%(label)s“%(name)s”不在本县（区）工作。") % {"label": label, "name": person.name}, field
        )
    return person


def _zone_values(
    *,
    name: Any,
    county: Region | None,
    townships: Iterable[Region],
    leader: Person | None,
    deputy: Person | None,
    current: Zone | None,
) -> tuple[dict, list[Region]]:
    name = clean_text(name, field="name", label=_("名称"), model=Zone)
    require(county, field="county", label=_("县（区）"))
    if county.level != RegionLevel.COUNTY:
        raise invalid(_("片区的所属区划必须是县（区）。"), "county")
    townships = list(townships)
    if not townships:
        raise invalid(_("请选择片区包含的乡镇（街道）。"), "townships", ErrorCode.REQUIRED)
    for township in townships:
        if township.level not in TOWNSHIP_LEVELS or not within(township, county):
            raise invalid(
                _("“%(name)s”不是%(county)s的乡镇（街道）。")
                % {"name": township.name, "county": county.name},
                "townships",
            )
    # A township belongs to one zone: the zone leader organises its joint enforcement.
    taken = (
        Zone.townships.through.objects.filter(region__in=townships)
        .exclude(zone_id=getattr(current, "pk", None))
        .select_related("zone", "region")
        .first()
    )
    if taken is not None:
        raise invalid(
            _("“%(name)s”已属于片区“%(zone)s”。") % {"name": taken.region.name, "zone": taken.zone.name},
            "townships",
            ErrorCode.DUPLICATE,
        )
    leader = _zone_person(leader, county, "leader", _("片长"))
    deputy = _zone_person(deputy, county, "deputy", _("协作组长"))
    if leader is not None and deputy is not None and leader.pk == deputy.pk:
        raise invalid(_("片长和协作组长不能是同一人。"), "deputy")
    return {"name": name, "county": county, "leader": leader, "deputy": deputy}, townships


def zone_create(
    *,
    actor: Any,
    name: str,
    county: Region,
    townships: Iterable[Region],
    leader: Person | None = None,
    deputy: Person | None = None,
) -> Zone:
    """Create a zone (片区) of townships with its zone leader (片长) and deputy (协作组长)."""
    with transaction.atomic():
        values, townships = _zone_values(
            name=name, county=county, townships=townships, leader=leader, deputy=deputy, current=None
        )
        return save_recorded(
            actor=actor,
            obj=Zone(**values),
            action="zone.create",
            fields=ZONE_FIELDS,
            before=None,
            m2m={"townships": townships},
        )


def zone_update(
    *,
    actor: Any,
    zone: Zone,
    name: str,
    county: Region,
    townships: Iterable[Region],
    leader: Person | None = None,
    deputy: Person | None = None,
    expected_version: int | None = None,
) -> Zone:
    """Change a zone: its townships, leader and deputy."""
    with transaction.atomic():
        current = lock(Zone, zone, expected_version)
        values, townships = _zone_values(
            name=name, county=county, townships=townships, leader=leader, deputy=deputy, current=current
        )
        return update_recorded(
            actor=actor,
            obj=current,
            action="zone.update",
            fields=ZONE_FIELDS,
            values=values,
            m2m={"townships": townships},
        )


def zone_delete(*, actor: Any, zone: Zone) -> None:
    """Delete a zone."""
    with transaction.atomic():
        delete_recorded(actor=actor, obj=lock(Zone, zone), action="zone.delete", fields=ZONE_FIELDS)


# --- Command centres and enforcement domains ----------------------------------------------------


def _command_center_values(*, name: Any, region: Region | None) -> dict:
    name = clean_text(name, field="name", label=_("名称"), model=CommandCenter)
    require(region, field="region", label=_("区划"))
    if region.level not in (RegionLevel.COUNTY, *TOWNSHIP_LEVELS):
        raise invalid(_("指挥中心的区划必须是县（区）或乡镇（街道）。"), "region")
    return {"name": name, "region": region}


def command_center_create(*, actor: Any, name: str, region: Region) -> CommandCenter:
    """Create a command centre (指挥中心) of a county or township."""
    with transaction.atomic():
        values = _command_center_values(name=name, region=region)
        return save_recorded(
            actor=actor,
            obj=CommandCenter(**values),
            action="command_center.create",
            fields=COMMAND_CENTER_FIELDS,
            before=None,
        )


def command_center_update(
    *,
    actor: Any,
    command_center: CommandCenter,
    name: str,
    region: Region,
    expected_version: int | None = None,
) -> CommandCenter:
    """Change a command centre. (The model has no version column yet: `expected_version` is ignored.)"""
    with transaction.atomic():
        current = lock(CommandCenter, command_center, expected_version)
        return update_recorded(
            actor=actor,
            obj=current,
            action="command_center.update",
            fields=COMMAND_CENTER_FIELDS,
            values=_command_center_values(name=name, region=region),
        )


def command_center_delete(*, actor: Any, command_center: CommandCenter) -> None:
    """Delete a command centre without staff."""
    with transaction.atomic():
        delete_recorded(
            actor=actor,
            obj=lock(CommandCenter, command_center),
            action="command_center.delete",
            fields=COMMAND_CENTER_FIELDS,
        )
