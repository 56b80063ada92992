"""The five-level grid (五级网格): district - street/township - community - zone grid - micro grid."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class GridLevel(models.IntegerChoices):
    DISTRICT = 1, _("区（县）网格")
    TOWNSHIP = 2, _("街道（乡镇）网格")
    COMMUNITY = 3, _("社区网格")
    ZONE_GRID = 4, _("片区网格")
    MICRO_GRID = 5, _("微网格")


class GridCell(models.Model):
    """A grid cell with its GeoJSON polygon; the bounding box columns let a point query skip most cells."""

    scope_rule = ScopeRule(region="region__adcode")

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=GridLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="grid_cells",
        help_text=_("网格所在的行政区划（县、乡镇或社区）"),
    )
    geometry = models.JSONField(_("范围（GeoJSON）"), null=True, blank=True)
    min_x = models.FloatField(null=True, blank=True)
    min_y = models.FloatField(null=True, blank=True)
    max_x = models.FloatField(null=True, blank=True)
    max_y = models.FloatField(null=True, blank=True)
    leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("网格长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_cells_led",
    )
    workers = models.ManyToManyField(
        "org.Person", verbose_name=_("网格员"), blank=True, related_name="grid_cells_worked"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["region", "level"], name="org_grid_region_level_idx"),
            models.Index(fields=["min_x", "max_x", "min_y", "max_y"], name="org_grid_bbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class GridRevision(models.Model):
    """One row (pk 1) whose `value` grows whenever the grid changes: cells, or the regions they sit in.

    Point location keeps one STRtree per process (zhifa/intake/routing.py); it compares this value
    (with the highest cell id) to tell whether its index is stale, in one cheap query, across processes.
    Bumped by zhifa/org/grid_revision.py: on every save or delete of a GridCell or Region (signals, so in
    the writing service's transaction) and explicitly by bulk writers (grid import).
    """

    SINGLETON_PK = 1

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("网格版本")
        verbose_name_plural = _("网格版本")

    def __str__(self) -> str:
        return str(self.value)
