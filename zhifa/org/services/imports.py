"""Importing people, regions and grid cells from files: all or nothing, one record event per batch.

Each service reads the file, validates EVERY row against the database and the importer's scope, and
returns the per-row report. With `commit=False` (the dry run behind the preview page) nothing is
written. With `commit=True` the rows are written in one transaction with exactly one record event
(APL Art. 47, 全过程记录) about the batch; if any row has an error nothing at all is written and the
report is returned instead (DESIGN.md: nothing half-written is left behind).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import ObjectRef, record_event
from zhifa.org import grid_revision
from zhifa.org.imports import grid as grid_import_rules
from zhifa.org.imports import people as people_import_rules
from zhifa.org.imports import regions as regions_import_rules
from zhifa.org.imports.common import ImportResult, chunks, read_table, sha256_hex, table_result
from zhifa.org.models import GridCell, Person, PersonStatus, Region
from zhifa.org.models.structure import PREFIX_LENGTH
from zhifa.org.policies import Action, user_can

BATCH_SIZE = 500
IMPORT_OBJECT_TYPE = "org.import"


def _require_importer(actor: Any) -> None:
    if not user_can(actor, Action.IMPORT):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("您没有批量导入的权限。"))


def _conflict() -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT,
        _("导入期间数据已被他人修改（如用户名或编码已被占用），未写入任何数据，请重新上传校验。"),
        field="file",
    )


def _record_batch(*, actor: Any, action: str, label: str, result: ImportResult, object_type: str) -> None:
    """The one event of an import batch: what was created, and the SHA-256 of the file it came from."""
    record_event(
        actor=actor,
        action=action,
        obj=ObjectRef(object_type, result.batch_id, label),
        after={
            "kind": result.kind,
            "filename": result.filename,
            "file_sha256": result.sha256,
            "rows": result.total,
            "counts": result.counts,
        },
    )


def commit_import_batch(
    *,
    actor: Any,
    action: str,
    label: str,
    result: ImportResult,
    write: Callable[[], dict[str, int]],
    object_type: str = IMPORT_OBJECT_TYPE,
) -> ImportResult:
    """Run `write` (which returns the counts) and the batch's one event in one transaction.

    All or nothing: a concurrent change that breaks a unique constraint rolls everything back (CONFLICT).
    Shared by every import (org and powers), so each is committed and recorded the same way.
    """
    result.batch_id = uuid.uuid4().hex
    try:
        with transaction.atomic():
            result.counts = write()
            result.committed = True
            _record_batch(actor=actor, action=action, label=label, result=result, object_type=object_type)
    except IntegrityError:
        result.committed = False
        raise _conflict() from None
    return result


def people_import(*, actor: Any, filename: str, content: bytes, commit: bool = False) -> ImportResult:
    """Import people (user account, person, agency, team, roles) from an .xlsx or .csv file.

    Validates every row first (required values, phone, username unique in the file and the database,
    agency/team/command centre/region within the importer's scope, roles, status, password strength).
    On commit, rows with an initial password get an Argon2 hash (hashed before the transaction, since
    hashing is slow); the others get an unusable password until an administrator resets it.
    Writes one record event "person.import". File-level problems raise ServiceError(field="file").
    """
    _require_importer(actor)
    table = read_table(filename, content, people_import_rules.COLUMNS)
    rows, report = people_import_rules.validate_people(actor, table)
    result = table_result("people", filename, content, table, report, secret=("password",))
    if not commit or not result.ok:
        return result
    hashes = [make_password(r.password) if r.password else make_password(None) for r in rows]
    return commit_import_batch(
        actor=actor,
        action="person.import",
        label=_("人员导入：%(name)s") % {"name": filename},
        result=result,
        write=lambda: _write_people(rows, hashes),
    )


def _write_people(rows: list[Any], hashes: list[str]) -> dict[str, int]:
    """Bulk-insert the checked people rows (users, people, role links); returns the counts."""
    today = datetime.date.today()
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [user_model(username=r.username, password=h) for r, h in zip(rows, hashes, strict=True)],
        batch_size=BATCH_SIZE,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                user=u,
                name=r.name,
                phone=r.phone,
                region=r.region,
                agency=r.agency,
                team=r.team,
                command_center=r.command_center,
                status=r.status,
                status_date=None if r.status == PersonStatus.ACTIVE else today,
            )
            for r, u in zip(rows, users, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    through = Person.roles.through
    links = [
        through(person_id=p.pk, role_id=code) for p, r in zip(people, rows, strict=True) for code in r.roles
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return {
        "people": len(people),
        "users": len(users),
        "roles": len(links),
        "with_password": sum(1 for r in rows if r.password),
    }


def regions_import(*, actor: Any, filename: str, content: bytes, commit: bool = False) -> ImportResult:
    """Import regions (division code, name, level, parent) from an .xlsx or .csv file.

    Codes must be 12 digits, consistent with their level, new, inside the importer's county, and have
    a parent in the database (visible to the importer) or in the file. One record event "region.import".
    """
    _require_importer(actor)
    table = read_table(filename, content, regions_import_rules.COLUMNS)
    rows, report = regions_import_rules.validate_regions(actor, table)
    result = table_result("regions", filename, content, table, report)
    if not commit or not result.ok:
        return result
    return commit_import_batch(
        actor=actor,
        action="region.import",
        label=_("区划导入：%(name)s") % {"name": filename},
        result=result,
        write=lambda: _write_regions(rows),
    )


def _write_regions(rows: list[Any]) -> dict[str, int]:
    """Bulk-insert the checked regions, parents before children; returns the counts."""
    ids: dict[str, int] = {}
    for part in chunks(sorted({r.parent_code for r in rows if r.parent_code})):
        ids.update(Region.objects.filter(adcode__in=part).values_list("adcode", "id"))
    # A parent's code is shorter than its children's: inserting one prefix length at a time gives
    # every parent its id before its children are inserted.
    for length in sorted({PREFIX_LENGTH[r.level] for r in rows}):
        batch = [r for r in rows if PREFIX_LENGTH[r.level] == length]
        created = Region.objects.bulk_create(
            [
                Region(
                    adcode=r.adcode,
                    name=r.name,
                    level=r.level,
                    parent_id=ids.get(r.parent_code) if r.parent_code else None,
                )
                for r in batch
            ],
            batch_size=BATCH_SIZE,
        )
        ids.update({region.adcode: region.pk for region in created})
    return {"regions": len(rows)}


def grid_import(*, actor: Any, filename: str, content: bytes, commit: bool = False) -> ImportResult:
    """Import grid cells from a GeoJSON FeatureCollection (polygons, five levels, parents, leaders).

    Every feature is validated (properties, region and leader within scope, polygon validity with
    shapely, parent in the database or the file); cells are written with bulk inserts level by level,
    with their bounding boxes. One record event "grid_cell.import".
    """
    _require_importer(actor)
    features = grid_import_rules.read_features(filename, content)
    cells, report = grid_import_rules.validate_grid(actor, features)
    preview = [
        [
            str(c.index),
            c.code,
            c.name,
            str(c.level),
            c.parent_code or "",
            c.region.adcode,
            c.leader.name if c.leader else "",
        ]
        for c in sorted(cells, key=lambda c: c.index)[:10]
    ]
    result = ImportResult(
        kind="grid",
        filename=filename,
        sha256=sha256_hex(content),
        total=len(features),
        errors=report.sorted(),
        preview_headers=["code", "name", "level", "parent_code", "region_code", "leader_username"],
        preview_rows=preview,
    )
    if not commit or not result.ok:
        return result
    return commit_import_batch(
        actor=actor,
        action="grid_cell.import",
        label=_("网格导入：%(name)s") % {"name": filename},
        result=result,
        write=lambda: _write_grid(cells),
    )


def _write_grid(cells: list[Any]) -> dict[str, int]:
    """Bulk-insert the checked grid cells level by level (parents first); returns the counts."""
    ids: dict[str, int] = {}
    for part in chunks(sorted({c.parent_code for c in cells if c.parent_code})):
        ids.update(GridCell.objects.filter(code__in=part).values_list("code", "id"))
    for level in sorted({c.level for c in cells}):
        created = GridCell.objects.bulk_create(
            [
                GridCell(
                    code=c.code,
                    name=c.name,
                    level=c.level,
                    region=c.region,
                    leader=c.leader,
                    parent_id=ids[c.parent_code] if c.parent_code else None,
                    geometry=c.geometry,
                    min_x=c.bbox[0],
                    min_y=c.bbox[1],
                    max_x=c.bbox[2],
                    max_y=c.bbox[3],
                )
                for c in cells
                if c.level == level
            ],
            batch_size=BATCH_SIZE,
        )
        ids.update({cell.code: cell.pk for cell in created})
    grid_revision.bump()  # bulk_create sends no signals: tell the point indexes (intake/routing.py)
    return {"grid_cells": len(cells)}
