"""Services of the working units: enforcement teams, zones (片区) and command centres.

Each write leaves exactly one record event (APL Art. 47, 全过程记录); bad input gives a Chinese
message naming the field and writes nothing.
"""

from __future__ import annotations

from zhifa.core.errors import ErrorCode
from zhifa.core.models import Event
from zhifa.org.models import (
    CommandCenter,
    PersonStatus,
    RoleCode,
    Team,
)
from zhifa.org.services import units
from zhifa.org.tests.structure_checks import one_event, refused

# --- Teams ---------------------------------------------------------------------------------------


def test_team_create_takes_the_agency_region(county, actor):
    agency = county.township_agencies[0]
    team = units.team_create(actor=actor, name="东湖镇综合执法二中队", agency=agency, parent=county.teams[0])
    assert team.region == agency.region and team.parent == county.teams[0]
    one_event("team.create")


def test_team_update(county, actor):
    team = county.teams[0]
    units.team_update(
        actor=actor,
        team=team,
        name="东湖镇综合行政执法大队",
        agency=team.agency,
        region=team.region,
        expected_version=1,
    )
    team.refresh_from_db()
    assert team.name == "东湖镇综合行政执法大队" and team.version == 2
    one_event("team.update")


def test_team_rules(county, actor):
    agency = county.township_agencies[0]
    with refused("region", "执法主体"):
        units.team_create(actor=actor, name="越界中队", agency=agency, region=county.townships[1])
    with refused("parent", "同一执法主体"):
        units.team_create(actor=actor, name="错挂中队", agency=agency, parent=county.teams[1])
    child = Team.objects.create(name="下级", agency=agency, region=agency.region, parent=county.teams[0])
    with refused("parent", "下级队伍"):
        units.team_update(
            actor=actor, team=county.teams[0], name=county.teams[0].name, agency=agency, parent=child
        )
    with refused("name", "名称"):
        units.team_create(actor=actor, name="", agency=agency)


def test_team_with_members_cannot_be_deleted(county, actor):
    with refused(None, "仍被其他数据引用"):
        units.team_delete(actor=actor, team=county.teams[0])


# --- Zones (片区) and command centres ------------------------------------------------------------


def test_zone_create_with_leader_and_deputy(county, actor):
    county.zone.townships.clear()
    leader = county.person(RoleCode.ZONE_LEADER, "county")
    deputy = county.person(RoleCode.OFFICER, "dept")
    zone = units.zone_create(
        actor=actor,
        name="西部片区",
        county=county.county,
        townships=county.townships,
        leader=leader,
        deputy=deputy,
    )
    assert set(zone.townships.all()) == set(county.townships)
    assert (zone.leader, zone.deputy) == (leader, deputy)
    event = one_event("zone.create")
    assert f'"townships":[{county.townships[0].pk},{county.townships[1].pk}]' in event.data


def test_zone_update_changes_townships_and_deputy(county, actor):
    zone = county.zone
    deputy = county.person(RoleCode.OFFICER, "dept")
    units.zone_update(
        actor=actor,
        zone=zone,
        name=zone.name,
        county=county.county,
        townships=county.townships,
        leader=zone.leader,
        deputy=deputy,
        expected_version=1,
    )
    zone.refresh_from_db()
    assert zone.deputy == deputy and zone.townships.count() == 2 and zone.version == 2
    one_event("zone.update")


def test_zone_rules(county, other_county, actor):
    leader = county.person(RoleCode.ZONE_LEADER, "county")
    with refused("townships", "已属于片区"):
        units.zone_create(actor=actor, name="重叠片区", county=county.county, townships=[county.townships[0]])
    with refused("townships", "不是"):
        units.zone_create(
            actor=actor, name="跨县片区", county=county.county, townships=[other_county.townships[1]]
        )
    with refused("townships", "请选择", code=ErrorCode.REQUIRED):
        units.zone_create(actor=actor, name="空片区", county=county.county, townships=[])
    with refused("deputy", "同一人"):
        units.zone_create(
            actor=actor,
            name="片区",
            county=county.county,
            townships=[county.townships[1]],
            leader=leader,
            deputy=leader,
        )
    with refused("leader", "本县"):
        units.zone_create(
            actor=actor,
            name="片区",
            county=county.county,
            townships=[county.townships[1]],
            leader=other_county.person(RoleCode.ZONE_LEADER, "county"),
        )
    leader.status = PersonStatus.RETIRED
    leader.save()
    with refused("leader", "不在岗"):
        units.zone_create(
            actor=actor, name="片区", county=county.county, townships=[county.townships[1]], leader=leader
        )


def test_command_center_create_and_update(county, actor):
    center = units.command_center_create(actor=actor, name="东湖镇指挥中心", region=county.townships[0])
    one_event("command_center.create")
    Event.objects.all().delete()
    units.command_center_update(
        actor=actor, command_center=center, name="东湖镇综治中心", region=center.region
    )
    assert CommandCenter.objects.get(pk=center.pk).name == "东湖镇综治中心"
    one_event("command_center.update")
    with refused("region", "指挥中心"):
        units.command_center_create(actor=actor, name="村指挥中心", region=county.communities[0])
