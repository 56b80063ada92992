"""The shapes of the organisation and certificate API (django-ninja Schemas).

List items carry what a list needs; detail schemas add the rest (grid geometry, certificate history).
Every nested object is loaded by the selectors with select_related/prefetch_related, so that building
a page of items costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema

from zhifa.org.models import Certificate, CertificateStatus


class ErrorOut(Schema):
    code: str
    field: str | None = None
    message: str


class Ref(Schema):
    id: int
    name: str


class RegionRef(Schema):
    adcode: str
    name: str
    level: str


class DomainOut(Schema):
    code: str
    name: str


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _region(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"adcode": obj.adcode, "name": obj.name, "level": obj.level}


class RegionOut(Schema):
    adcode: str
    name: str
    level: str
    parent_adcode: str | None

    @staticmethod
    def resolve_parent_adcode(obj: Any) -> str | None:
        return obj.parent.adcode if obj.parent_id else None


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region: RegionRef
    domains: list[DomainOut]
    agency_id: int | None

    @staticmethod
    def resolve_domains(obj: Any) -> list[Any]:
        return list(obj.domains.all())

    @staticmethod
    def resolve_agency_id(obj: Any) -> int | None:
        agency = getattr(
            obj, "agency", None
        )  # reverse one-to-one: RelatedObjectDoesNotExist is AttributeError
        return agency.pk if agency is not None else None


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region: RegionRef
    department_id: int | None
    uscc: str
    is_active: bool


class TeamOut(Schema):
    id: int
    name: str
    agency: Ref
    region: RegionRef
    parent_id: int | None


class ZoneOut(Schema):
    id: int
    name: str
    county: RegionRef
    townships: list[RegionRef]
    leader: Ref | None
    deputy: Ref | None

    @staticmethod
    def resolve_townships(obj: Any) -> list[Any]:
        return list(obj.townships.all())

    @staticmethod
    def resolve_leader(obj: Any) -> dict[str, Any] | None:
        return _ref(obj.leader)

    @staticmethod
    def resolve_deputy(obj: Any) -> dict[str, Any] | None:
        return _ref(obj.deputy)


class CommandCenterOut(Schema):
    id: int
    name: str
    region: RegionRef


class GridCellOut(Schema):
    id: int
    code: str
    name: str
    level: int
    parent_id: int | None
    region: RegionRef
    bbox: list[float] | None
    leader: Ref | None

    @staticmethod
    def resolve_bbox(obj: Any) -> list[float] | None:
        values = [obj.min_x, obj.min_y, obj.max_x, obj.max_y]
        return None if any(v is None for v in values) else values

    @staticmethod
    def resolve_leader(obj: Any) -> dict[str, Any] | None:
        return _ref(obj.leader)


class GridCellDetailOut(GridCellOut):
    geometry: dict[str, Any] | None
    workers: list[Ref]

    @staticmethod
    def resolve_workers(obj: Any) -> list[dict[str, Any]]:
        return [_ref(p) for p in obj.workers.all()]


class PersonOut(Schema):
    id: int
    name: str
    phone: str
    status: str
    status_date: datetime.date | None
    region: RegionRef
    agency: Ref | None
    team: Ref | None
    roles: list[str]

    @staticmethod
    def resolve_agency(obj: Any) -> dict[str, Any] | None:
        return _ref(obj.agency)

    @staticmethod
    def resolve_team(obj: Any) -> dict[str, Any] | None:
        return _ref(obj.team)

    @staticmethod
    def resolve_roles(obj: Any) -> list[str]:
        return sorted(role.code for role in obj.roles.all())


class SecondmentOut(Schema):
    from_agency: Ref
    to_agency: Ref
    to_team: Ref | None
    start_date: datetime.date
    end_date: datetime.date | None

    @staticmethod
    def resolve_to_team(obj: Any) -> dict[str, Any] | None:
        return _ref(obj.to_team)


class PersonDetailOut(PersonOut):
    username: str | None
    command_center: Ref | None
    secondments: list[SecondmentOut]
    certificates: list[str]

    @staticmethod
    def resolve_username(obj: Any) -> str | None:
        return obj.user.get_username() if obj.user_id else None

    @staticmethod
    def resolve_command_center(obj: Any) -> dict[str, Any] | None:
        return _ref(obj.command_center)

    @staticmethod
    def resolve_secondments(obj: Any) -> list[Any]:
        return list(obj.secondments.all())

    @staticmethod
    def resolve_certificates(obj: Any) -> list[str]:
        return [c.number for c in obj.certificates.all()]


def effective_status(cert: Certificate, today: datetime.date | None = None) -> str:
    """The status as of today: a "valid" certificate past its end date is expired (APL Art. 42)."""
    today = today or datetime.date.today()
    if cert.status == CertificateStatus.VALID and cert.valid_to < today:
        return CertificateStatus.EXPIRED
    return cert.status


class CertificateOut(Schema):
    id: int
    number: str
    holder: Ref
    issuer: str
    domains: list[DomainOut]
    valid_from: datetime.date
    valid_to: datetime.date
    status: str
    recorded_status: str
    status_reason: str
    status_date: datetime.date | None

    @staticmethod
    def resolve_holder(obj: Any) -> dict[str, Any]:
        return _ref(obj.holder)

    @staticmethod
    def resolve_domains(obj: Any) -> list[Any]:
        return list(obj.domains.all())

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return effective_status(obj)

    @staticmethod
    def resolve_recorded_status(obj: Any) -> str:
        return obj.status


class StatusChangeOut(Schema):
    status: str
    reason: str
    effective_date: datetime.date


class CertificateDetailOut(CertificateOut):
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return list(obj.status_changes.all())


class CertificateVerifyOut(Schema):
    """What the public may learn about a certificate (issue 2, point 4): nothing beyond these keys."""

    number: str
    valid: bool
    status: str
    holder_name: str
    domains: list[str]
    valid_from: datetime.date
    valid_to: datetime.date


class ScopeOut(Schema):
    everything: bool
    regions: list[RegionRef]
    agencies: list[Ref]


class MeOut(Schema):
    username: str
    is_superuser: bool
    person: PersonOut | None
    roles: list[str]
    scope: ScopeOut


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A {count, items} page of `item` (one named schema per item type in the OpenAPI document)."""
    return type(
        name, (Schema,), {"__module__": __name__, "__annotations__": {"count": int, "items": list[item]}}
    )


RegionPage = page_schema(RegionOut, "RegionPage")
DepartmentPage = page_schema(DepartmentOut, "DepartmentPage")
AgencyPage = page_schema(AgencyOut, "AgencyPage")
TeamPage = page_schema(TeamOut, "TeamPage")
ZonePage = page_schema(ZoneOut, "ZonePage")
CommandCenterPage = page_schema(CommandCenterOut, "CommandCenterPage")
GridCellPage = page_schema(GridCellOut, "GridCellPage")
PersonPage = page_schema(PersonOut, "PersonPage")
CertificatePage = page_schema(CertificateOut, "CertificatePage")
