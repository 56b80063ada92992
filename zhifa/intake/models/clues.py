"""Clues (案源线索) and their categories: what was reported, where, by whom, and where it stands.

Seeds 000/002/003: grid workers, the 12345 hotline, the public, inspections and other agencies report
possible violations; the command centre routes each to the competent team (or the joint meeting, or the
department by clue transfer) and follows it round the closed loop (派遣 → 处置 → 反馈 → 核查 → 结案 →
评价). A clue is scoped by the finest region known for it (its grid cell's community, else its
township, else the county) and by the agency it is assigned to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class ClueSource(models.TextChoices):
    """Where a clue came from; each source has its own entry point."""

    GRID = "grid", _("网格巡查")
    HOTLINE = "hotline", _("热线电话")
    HOTLINE_12345 = "12345", _("12345热线")
    PUBLIC = "public", _("群众举报投诉")
    INSPECTION = "inspection", _("检查发现")
    REFERRAL = "referral", _("部门移送")
    OPEN311 = "open311", _("Open311接口")


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class ClueStatus(models.TextChoices):
    """Where the clue stands in the closed loop."""

    REPORTED = "reported", _("待派遣")
    JOINT = "joint", _("待联席会商")
    DISPATCHED = "dispatched", _("待签收")
    HANDLING = "handling", _("处置中")
    HANDLED = "handled", _("待反馈")
    FED_BACK = "fed_back", _("待核查")
    VERIFIED = "verified", _("待结案")
    CLOSED = "closed", _("已结案")
    TRANSFERRED = "transferred", _("已移送")
    MERGED = "merged", _("已合并")
    DISMISSED = "dismissed", _("不予受理")


# Statuses in which the clue still needs someone to act (the command centre's queue).
OPEN_STATUSES = (
    ClueStatus.REPORTED,
    ClueStatus.JOINT,
    ClueStatus.DISPATCHED,
    ClueStatus.HANDLING,
    ClueStatus.HANDLED,
    ClueStatus.FED_BACK,
    ClueStatus.VERIFIED,
)
FINAL_STATUSES = (ClueStatus.CLOSED, ClueStatus.TRANSFERRED, ClueStatus.MERGED, ClueStatus.DISMISSED)


class HandlingResult(models.TextChoices):
    """What the team did with the clue (处置结果)."""

    CASE_FILED = "case_filed", _("已立案查处")
    RECTIFIED = "rectified", _("当场整改")
    NO_VIOLATION = "no_violation", _("未发现违法行为")
    TRANSFERRED = "transferred", _("已移送其他部门")


class ClueCategory(models.Model):
    """A kind of problem reporters pick (占道经营, 消防隐患, 非法捕捞 ...); step time limits hang on it."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    domain = models.ForeignKey(
        "org.EnforcementDomain",
        verbose_name=_("执法领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    items = models.ManyToManyField(
        "powers.PowerItem", verbose_name=_("常见事项"), blank=True, related_name="clue_categories"
    )
    is_active = models.BooleanField(_("有效"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("线索类别")
        verbose_name_plural = _("线索类别")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Clue(models.Model):
    """One reported possible violation and its way round the closed loop."""

    scope_rule = ScopeRule(region="region__adcode", agency="assigned_agency_id")

    code = models.CharField(_("线索编号"), max_length=24, unique=True)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    source = models.CharField(_("来源"), max_length=12, choices=ClueSource.choices)
    category = models.ForeignKey(
        ClueCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="clues"
    )
    priority = models.CharField(
        _("紧急程度"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    text = models.TextField(_("情况描述"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # WGS84 (converted on the way in from GCJ-02 where a Chinese map SDK produced the position).
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    grid_cell = models.ForeignKey(
        "org.GridCell",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        "org.Region",
        verbose_name=_("乡镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="clues"
    )
    outside_grid = models.BooleanField(_("不在任何网格内"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=ClueStatus.choices, default=ClueStatus.REPORTED, db_index=True
    )
    items = models.ManyToManyField(
        "powers.PowerItem", verbose_name=_("涉及事项"), blank=True, related_name="+"
    )
    assigned_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("承办主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    assigned_team = models.ForeignKey(
        "org.Team",
        verbose_name=_("承办队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    result = models.CharField(_("处置结果"), max_length=16, choices=HandlingResult.choices, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues_reported",
    )
    reporter_name = models.CharField(_("举报人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # The client's key for one submission: a retry after a lost response returns the same clue.
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    step_started_at = models.DateTimeField(_("本环节开始"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("本环节时限"), null=True, blank=True, db_index=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="intake_clue_region_status_idx"),
            models.Index(fields=["assigned_agency", "status"], name="intake_clue_agency_status_idx"),
            models.Index(fields=["grid_cell", "reported_at"], name="intake_clue_cell_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="intake_clue_rating_1_5",
            ),
            models.CheckConstraint(
                condition=(models.Q(lat__isnull=True) & models.Q(lng__isnull=True))
                | (models.Q(lat__gte=-90, lat__lte=90) & models.Q(lng__gte=-180, lng__lte=180)),
                name="intake_clue_position",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
