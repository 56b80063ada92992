"""Inspection subjects (检查对象 / 市场主体): enterprises and individual businesses; conflicts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")


class RiskLevel(models.TextChoices):
    """Credit-risk classes used by the frequency rules (A is the highest risk)."""

    A = "A", _("A类（高风险）")
    B = "B", _("B类（较高风险）")
    C = "C", _("C类（一般风险）")
    D = "D", _("D类（低风险）")


class Subject(models.Model):
    """An enterprise or individual business that may be inspected.

    Subjects are registered market entities (public register data), so everyone in the county may read
    them (directory rows); writing them belongs to the county and the township they sit in. `township`
    and `grid_cell` come from the position through the intake routing (collect once, use many).
    """

    scope_rule = ScopeRule(region="township__adcode", directory=True)

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("主体类型"), max_length=12, choices=SubjectKind.choices)
    address = models.CharField(_("经营地址"), max_length=300)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    industry = models.ForeignKey(
        "inspections.Industry", verbose_name=_("行业"), on_delete=models.PROTECT, related_name="subjects"
    )
    risk_level = models.CharField(_("风险等级"), max_length=1, choices=RiskLevel.choices, default=RiskLevel.C)
    township = models.ForeignKey(
        "org.Region", verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="subjects"
    )
    grid_cell = models.ForeignKey(
        "org.GridCell",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subjects",
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在业"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象")
        ordering = ["township__adcode", "name", "id"]
        indexes = [
            models.Index(fields=["township", "industry", "risk_level"], name="insp_subject_pool_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class InspectorConflict(models.Model):
    """A declared interest of a person in a subject (回避, APL Art. 43): they are never drawn for it."""

    scope_rule = ScopeRule(via="subject")

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("执法人员"),
        on_delete=models.CASCADE,
        related_name="inspection_conflicts",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("检查对象"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.CharField(_("回避事由"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回避登记")
        verbose_name_plural = _("回避登记")
        constraints = [
            models.UniqueConstraint(fields=["person", "subject"], name="insp_conflict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}-{self.subject_id}"
