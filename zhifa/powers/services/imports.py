"""Importing power items from a published list (.xlsx or .csv): preview, then all or nothing.

Every row is checked before anything is written (zhifa.powers.imports.validate_items); the dry run
(`commit=False`) returns the report behind the preview page. The commit checks again (the catalogue may
have changed since the preview), writes every item in one transaction and records exactly one event
about the batch with the file's SHA-256 (APL Art. 47). One broken row: nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.imports.common import ImportResult, read_table, table_result
from zhifa.org.policies import Action, user_can
from zhifa.org.services.imports import BATCH_SIZE, commit_import_batch
from zhifa.powers.imports import COLUMNS, validate_items
from zhifa.powers.models import PowerItem

IMPORT_OBJECT_TYPE = "powers.import"


def power_items_import(*, actor: Any, filename: str, content: bytes, commit: bool = False) -> ImportResult:
    """Import power items from a list in the published format; see zhifa.powers.imports.COLUMNS.

    `actor=None` is the catalogue loader (a management command); people need Action.IMPORT
    (administrators). File-level problems raise ServiceError(field="file"); row problems are returned
    in the result, by row and column, and nothing is written while there is one.
    """
    if actor is not None and not user_can(actor, Action.IMPORT):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("您没有批量导入的权限。"))
    table = read_table(filename, content, COLUMNS)
    rows, report = validate_items(table)
    result = table_result("power-items", filename, content, table, report)
    if not commit or not result.ok:
        return result
    return commit_import_batch(
        actor=actor,
        action="power_item.import",
        label=_("执法事项导入：%(name)s") % {"name": filename},
        result=result,
        write=lambda: _write_items(rows),
        object_type=IMPORT_OBJECT_TYPE,
    )


def _write_items(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Bulk-insert the checked items; a code taken meanwhile breaks the unique index (all rolled back)."""
    items = PowerItem.objects.bulk_create([PowerItem(**row) for row in rows], batch_size=BATCH_SIZE)
    return {"power_items": len(items)}
