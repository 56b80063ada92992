"""Double-random draws (双随机): random subjects, random inspectors, with a committed seed.

The pools are frozen and hashed, and the hash of a secret seed is published, before the draw; the seed
is revealed by the draw, so anyone can re-run `zhifa.inspections.draw_algorithm` on the published pools
and seed and get the same result, and nobody (the organiser included) could pick the seed after seeing
the pools. GO118 (四) publishes random-check lists before enforcement, (六) results after.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class DrawState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMMITTED = "committed", _("已公布承诺")
    DRAWN = "drawn", _("已抽取")
    CANCELLED = "cancelled", _("已撤销")


class RandomDraw(models.Model):
    """One random-inspection task (抽查任务) of an agency: its pools, commitment, seed and result."""

    scope_rule = ScopeRule(region="region__adcode", agency="agency_id")

    title = models.CharField(_("任务名称"), max_length=200)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="random_draws"
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("抽查范围"), on_delete=models.PROTECT, related_name="random_draws"
    )
    period_start = models.DateField(_("检查期间起"))
    period_end = models.DateField(_("检查期间止"))
    items = models.ManyToManyField(
        "inspections.InspectionItem", verbose_name=_("检查事项"), related_name="random_draws"
    )
    scenario = models.ForeignKey(
        "inspections.Scenario",
        verbose_name=_("检查场景"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="random_draws",
    )
    subject_filter = models.JSONField(_("对象筛选条件"), default=dict, blank=True)
    ratio = models.DecimalField(_("抽查比例"), max_digits=5, decimal_places=4)
    sample_size = models.PositiveIntegerField(_("抽取数量"), default=0)
    inspectors_per_subject = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    subject_pool = models.JSONField(_("对象库"), default=list, blank=True)
    inspector_pool = models.JSONField(_("检查人员库"), default=list, blank=True)
    pool_hash = models.CharField(_("名录库摘要"), max_length=64, blank=True)
    seed_commitment = models.CharField(_("种子承诺值"), max_length=64, blank=True)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    algorithm = models.CharField(_("抽取算法"), max_length=40, blank=True)
    result = models.JSONField(_("抽取结果"), default=list, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=DrawState.choices, default=DrawState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    committed_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("双随机抽查任务")
        verbose_name_plural = _("双随机抽查任务")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="insp_draw_period"
            ),
            # A drawn task keeps the seed it was drawn with: no second draw with another seed.
            models.CheckConstraint(
                condition=~models.Q(state="drawn") | ~models.Q(seed=""), name="insp_draw_seed_kept"
            ),
        ]

    def __str__(self) -> str:
        return self.title
