"""Visits (检查): who checks which items at which subject, the on-site checklist, findings, result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import Scope, ScopeRule


def joined_by_agency(scope: Scope) -> models.Q | None:
    """A joint visit is visible to every agency that sends an inspector, not only the organiser."""
    if not scope.agency_ids:
        return None
    joined = VisitInspector.objects.filter(agency_id__in=sorted(scope.agency_ids)).values("visit_id")
    return models.Q(id__in=joined)


class VisitState(models.TextChoices):
    PLANNED = "planned", _("待检查")
    IN_PROGRESS = "in_progress", _("检查中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class VisitResult(models.TextChoices):
    PASS = "pass", _("未发现问题")
    RECTIFY = "rectify", _("责令限期整改")
    CASE = "case", _("立案查处")


class Visit(models.Model):
    """One visit of one team to one subject, covering one or more items (of one or more departments)."""

    scope_rule = ScopeRule(region="subject__township__adcode", agency="agency_id", extra=joined_by_agency)

    code = models.CharField(_("检查码"), max_length=16, unique=True)
    subject = models.ForeignKey(
        "inspections.Subject", verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="visits"
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="inspection_visits"
    )
    plan = models.ForeignKey(
        "inspections.JointPlan",
        verbose_name=_("联合检查计划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    draw = models.ForeignKey(
        "inspections.RandomDraw",
        verbose_name=_("抽查任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    scenario = models.ForeignKey(
        "inspections.Scenario",
        verbose_name=_("检查场景"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    items = models.ManyToManyField(
        "inspections.InspectionItem", verbose_name=_("检查事项"), related_name="visits"
    )
    planned_on = models.DateField(_("计划日期"))
    state = models.CharField(_("状态"), max_length=12, choices=VisitState.choices, default=VisitState.PLANNED)
    result = models.CharField(_("检查结果"), max_length=10, choices=VisitResult.choices, blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    result_note = models.CharField(_("结果说明"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    publish_due = models.DateField(_("结果公示期限"), null=True, blank=True)
    published_at = models.DateTimeField(_("结果公示时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["subject", "planned_on"], name="insp_visit_subject_day_idx"),
            models.Index(fields=["agency", "state", "planned_on"], name="insp_visit_agency_idx"),
            models.Index(fields=["plan", "state"], name="insp_visit_plan_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="insp_visit_rating_range",
            )
        ]

    def __str__(self) -> str:
        return self.code


class VisitInspector(models.Model):
    """An inspector on a visit, the agency they come from and the certificate they showed (APL Art. 55)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="inspectors")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="inspection_visits"
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    certificate_number = models.CharField(_("执法证号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员")
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="insp_visit_inspector_unique")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}-{self.person_id}"


class CheckOutcome(models.TextChoices):
    OK = "ok", _("符合")
    PROBLEM = "problem", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class VisitCheck(models.Model):
    """The answer to one checklist point of one item on a visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey("inspections.InspectionItem", on_delete=models.PROTECT, related_name="+")
    point = models.PositiveSmallIntegerField(_("要点序号"))
    outcome = models.CharField(_("结论"), max_length=8, choices=CheckOutcome.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("检查要点结论")
        verbose_name_plural = _("检查要点结论")
        ordering = ["visit", "item", "point"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "item", "point"], name="insp_check_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}-{self.item_id}-{self.point}"


class Finding(models.Model):
    """A problem found on a visit; it may become a clue (intake) or a case (cases) in one step."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        "inspections.InspectionItem", verbose_name=_("检查事项"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("发现的问题"))
    clue = models.ForeignKey(
        "intake.Clue",
        verbose_name=_("转线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class FindingPhoto(models.Model):
    """A photo of a finding, stored under its SHA-256 (the record and the case evidence refer to it)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("文件"), max_length=200)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["finding", "id"]

    def __str__(self) -> str:
        return self.sha256
