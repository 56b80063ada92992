"""The full-process record (全过程记录, APL Art. 47; GO118 (九) tamper-proof storage).

An append-only list of events, each carrying the hash of the one before it, so that any edit,
deletion or reordering breaks the chain and `manage.py verify_record` finds the first broken link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One state change: who, when, what, before/after. Written only by `core.record.record_event`."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=80)
    object_type = models.CharField(_("对象类型"), max_length=80)
    object_id = models.CharField(_("对象编号"), max_length=64)
    # Canonical JSON (sorted keys, no spaces) of {"actor_name", "object_repr", "before", "after"}:
    # stored as text so the hashed bytes are exactly the stored bytes on SQLite and PostgreSQL alike.
    data = models.TextField(_("数据"))
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("执法记录")
        verbose_name_plural = _("执法记录")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_event_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """The single row holding the last sequence number and hash; locked to serialise appends."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("记录链头")

    def __str__(self) -> str:
        return f"#{self.seq}"
