"""Organisation of a county: regions, departments, agencies, teams, zones, grid, people, certificates."""

from zhifa.org.models.certificates import Certificate, CertificateStatus, CertificateStatusChange
from zhifa.org.models.grid import GridCell, GridLevel, GridRevision
from zhifa.org.models.numbering import NumberTemplate
from zhifa.org.models.people import Person, PersonStatus, Role, RoleCode, Secondment
from zhifa.org.models.structure import (
    Agency,
    AgencyKind,
    CommandCenter,
    Department,
    DepartmentKind,
    EnforcementDomain,
    Region,
    RegionLevel,
    Team,
    Zone,
)

__all__ = [
    "Agency",
    "AgencyKind",
    "Certificate",
    "CertificateStatus",
    "CertificateStatusChange",
    "CommandCenter",
    "Department",
    "DepartmentKind",
    "EnforcementDomain",
    "GridCell",
    "GridLevel",
    "GridRevision",
    "NumberTemplate",
    "Person",
    "PersonStatus",
    "Region",
    "RegionLevel",
    "Role",
    "RoleCode",
    "Secondment",
    "Team",
    "Zone",
]
