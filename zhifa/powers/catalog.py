"""The built-in catalogue of power items (行政执法事项) townships are typically granted (issue 3, point 2).

`data/catalog.csv` lists items as Fujian, Zhejiang, Henan and Hebei publish them (赋予乡镇（街道）行政
处罚事项清单): name, power type, domain, basis with article / paragraph / item, original subject and, for
penalties, the statutory range (APL Art. 9 types, fines as amounts or a formula). APL Art. 38: a penalty
without a legal basis is void, so every row names its basis; APL Art. 39: the implementing body and basis
are published, so every row names its original subject.

The file is imported through the ordinary list import (`power_items_import`), so a row is checked exactly
like an uploaded list and the load is recorded as one batch event. Loading is idempotent: codes already
in the catalogue are left as they are and only missing rows are imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from zhifa.org.generate.names import DOMAINS
from zhifa.org.models import EnforcementDomain
from zhifa.org.services.structure import enforcement_domain_create
from zhifa.powers.models import PowerItem

CATALOG_PATH = Path(__file__).resolve().parent / "data" / "catalog.csv"
CATALOG_FILENAME = "catalog.csv"

# Fire items are granted to townships in Henan and Fujian (seed 000): a domain of their own, held by the
# county fire and rescue brigade (县消防救援大队).
FIRE_DOMAIN = ("fire", "消防安全")
CATALOG_DOMAINS: tuple[tuple[str, str], ...] = (*DOMAINS, FIRE_DOMAIN)

HEADER = (
    "序号",
    "事项编码",
    "事项名称",
    "职权类型",
    "执法领域",
    "实施依据",
    "原实施主体",
    "赋予对象",
    "处罚种类",
    "罚款下限",
    "罚款上限",
    "罚款计算方式",
    "关键词",
    "备注",
)


class CatalogLoadError(Exception):
    """The catalogue file was refused by the import: `errors` are the import's row errors."""

    def __init__(self, errors: list[Any]) -> None:
        self.errors = errors
        shown = "; ".join(e.text for e in errors[:5])
        super().__init__(f"{len(errors)} catalogue row error(s): {shown}")


@dataclass
class CatalogResult:
    """What a load did: rows in the file, items created now, items that were already there."""

    total: int
    created: int
    existing: int
    domains_created: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "created": self.created,
            "existing": self.existing,
            "domains_created": list(self.domains_created),
        }


def read_catalog(path: Path | str = CATALOG_PATH) -> list[dict[str, str]]:
    """The rows of the catalogue file (UTF-8 CSV with the published Chinese headers)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def ensure_catalog_domains(*, actor: Any = None) -> list[str]:
    """Create the enforcement domains the catalogue names if they are missing (one event each).

    The demo county creates the fourteen domains of zhifa.org.generate.names; the catalogue adds "fire"
    (消防安全). Returns the codes created.
    """
    existing = set(EnforcementDomain.objects.values_list("code", flat=True))
    created = []
    for code, name in CATALOG_DOMAINS:
        if code not in existing:
            enforcement_domain_create(actor=actor, code=code, name=name)
            created.append(code)
    return created


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(HEADER), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def load_power_catalog(path: Path | str = CATALOG_PATH, *, actor: Any = None) -> dict[str, Any]:
    """Import the catalogue's missing items through `power_items_import`; nothing when all are present.

    The import checks each row's original subject against the departments on record, so the county
    departments must exist first (`manage.py load_demo` creates them). Raises CatalogLoadError with the
    import's row errors when the file is refused; nothing is written then.
    """
    from zhifa.powers.services.imports import power_items_import  # the import reads org lookups

    rows = read_catalog(path)
    codes = [row["事项编码"].strip() for row in rows]
    present = set(PowerItem.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [row for row, code in zip(rows, codes, strict=True) if code not in present]
    if not missing:
        return CatalogResult(total=len(rows), created=0, existing=len(present)).as_dict()
    with transaction.atomic():
        domains_created = ensure_catalog_domains(actor=actor)
        result = power_items_import(
            actor=actor, filename=CATALOG_FILENAME, content=_csv_bytes(missing), commit=True
        )
        if not result.ok or not result.committed:
            raise CatalogLoadError(result.errors)
    created = result.counts.get("power_items", len(missing))
    return CatalogResult(
        total=len(rows), created=created, existing=len(present), domains_created=domains_created
    ).as_dict()
