"""Joint inspection plans (综合查一次): visits planned so that every due item is checked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CONFIRMED = "confirmed", _("已确定")
    CANCELLED = "cancelled", _("已撤销")


class JointPlan(models.Model):
    """A joint plan for a county or township over a period.

    `capacities` holds each department's officer-days for the period ({department id: days});
    `summary` the solver's report: visits, the lower bound (one visit per subject with due items),
    the status-quo baseline (each department on its own), officer-days, solver status and time.
    """

    scope_rule = ScopeRule(region="region__adcode")

    title = models.CharField(_("计划名称"), max_length=200)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="joint_plans"
    )
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    seed = models.CharField(_("抽样种子"), max_length=64, blank=True)
    capacities = models.JSONField(_("部门人力（人·日）"), default=dict, blank=True)
    summary = models.JSONField(_("计划摘要"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确定时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("联合检查计划")
        verbose_name_plural = _("联合检查计划")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="insp_plan_period"
            )
        ]

    def __str__(self) -> str:
        return self.title
