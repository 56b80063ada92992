"""Optimistic concurrency for org objects that carry a `version` column.

DESIGN.md: concurrent edits never silently overwrite each other. A form carries the version it was
loaded with; the write first claims the row with a conditional UPDATE (version = loaded version), which
is atomic on SQLite and PostgreSQL alike, and fails with CONFLICT when someone else wrote in between.
"""

from __future__ import annotations

from django.db.models import F, Model
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError


def claim_version(obj: Model, version: int | None) -> None:
    """Bump `obj`'s version in the database, refusing if it is no longer `version`.

    `version=None` means the caller did not load a form (a cascade or a command): the bump is then
    unconditional. Must run inside the service's transaction; `obj.version` is updated in memory.
    """
    model = type(obj)
    rows = model._default_manager.filter(pk=obj.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise ServiceError(ErrorCode.CONFLICT, _("该记录已被他人修改，请刷新后重试"), field="version")
    obj.version = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).get()
