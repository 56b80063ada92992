"""What is inspected: industries, inspection items with checklists and frequency rules, scenarios."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule
from zhifa.inspections.models.subjects import RiskLevel


class Industry(models.Model):
    """A line of business (行业) that items and scenarios apply to: catering, lodging, retail, ..."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class InspectionItem(models.Model):
    """One inspection item of a department (抽查事项), tied to a power item of type 行政检查.

    `checks` lists the penalty items whose duties it checks (a finding may become a case under one of
    them); `checklist` the points to check with their legal basis:
    ``[{"point": "从业人员健康证明", "basis": "《食品安全法》第四十五条"}]``.
    Reference data of the county: every county user may read it, the department and the county edit it.
    """

    scope_rule = ScopeRule(
        region="department__region__adcode", agency="department__agency__id", directory=True
    )

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("实施部门"),
        on_delete=models.PROTECT,
        related_name="inspection_items",
    )
    power_item = models.ForeignKey(
        "powers.PowerItem",
        verbose_name=_("检查职权"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_items",
    )
    checks = models.ManyToManyField(
        "powers.PowerItem", verbose_name=_("对应处罚事项"), blank=True, related_name="checked_by_items"
    )
    domain = models.ForeignKey(
        "org.EnforcementDomain",
        verbose_name=_("执法领域"),
        on_delete=models.PROTECT,
        related_name="inspection_items",
        help_text=_("检查人员须持有该领域的有效执法证"),
    )
    industries = models.ManyToManyField(Industry, verbose_name=_("适用行业"), related_name="items")
    checklist = models.JSONField(_("检查要点"), default=list, blank=True)
    minutes = models.PositiveSmallIntegerField(_("预计用时（分钟）"), default=30)
    is_active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        ordering = ["department__name", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FrequencyMode(models.TextChoices):
    EVERY = "every", _("全覆盖（每年至少一次）")
    SAMPLE = "sample", _("按比例抽查")


class FrequencyRule(models.Model):
    """How often subjects of a risk level are checked on an item within a year.

    EVERY: each subject is due once a year. SAMPLE: a random share `ratio` is drawn; `floor` is the
    minimum share the rules set, and a ratio below it is refused (issue 7: "sampling ratios never fall
    below the floor set by the rules").
    """

    scope_rule = ScopeRule(via="item")

    item = models.ForeignKey(
        InspectionItem, verbose_name=_("检查事项"), on_delete=models.CASCADE, related_name="frequency_rules"
    )
    risk_level = models.CharField(_("风险等级"), max_length=1, choices=RiskLevel.choices)
    mode = models.CharField(_("方式"), max_length=8, choices=FrequencyMode.choices)
    ratio = models.DecimalField(_("抽查比例"), max_digits=5, decimal_places=4, default=1)
    floor = models.DecimalField(_("比例下限"), max_digits=5, decimal_places=4, default=0)

    class Meta:
        verbose_name = _("检查频次规则")
        verbose_name_plural = _("检查频次规则")
        ordering = ["item", "risk_level"]
        constraints = [
            models.UniqueConstraint(fields=["item", "risk_level"], name="insp_rule_unique"),
            models.CheckConstraint(condition=models.Q(ratio__gte=models.F("floor")), name="insp_rule_floor"),
            models.CheckConstraint(
                condition=models.Q(ratio__gt=0, ratio__lte=1, floor__gte=0, floor__lte=1),
                name="insp_rule_ratio_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.risk_level} {self.mode} {self.ratio}"


class Scenario(models.Model):
    """A bundle of items across departments that one joint team checks in one visit (检查场景)."""

    scope_rule = ScopeRule(region="county__adcode", directory=True)

    code = models.CharField(_("编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    county = models.ForeignKey(
        "org.Region",
        verbose_name=_("县（区）"),
        on_delete=models.PROTECT,
        related_name="inspection_scenarios",
    )
    industries = models.ManyToManyField(Industry, verbose_name=_("适用行业"), related_name="scenarios")
    items = models.ManyToManyField(InspectionItem, verbose_name=_("检查事项"), related_name="scenarios")
    lead_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_scenarios",
    )
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("检查场景")
        verbose_name_plural = _("检查场景")
        ordering = ["county__adcode", "code"]
        constraints = [models.UniqueConstraint(fields=["county", "code"], name="insp_scenario_unique")]

    def __str__(self) -> str:
        return self.name
