"""Power items (行政执法事项) and the provincial guidance list (赋权指导清单)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerType(models.TextChoices):
    """职权类型, as the published lists name them."""

    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    LICENSING = "licensing", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他")


class PowerItem(models.Model):
    """One enforceable power: name, type, domain, the original subject and the legal basis.

    The catalogue is public reference data (APL Art. 39: the implementing body and basis are published),
    so it is not scoped. `basis_refs` holds the structured references
    ``[{"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 3}]``; `basis_text` the
    text as published. For penalties, `penalty_types` lists APL Art. 9 types and the fine range is given
    as amounts or as a formula ("违法所得一倍以上三倍以下").
    """

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=300)
    power_type = models.CharField(_("职权类型"), max_length=20, choices=PowerType.choices)
    domain = models.ForeignKey(
        "org.EnforcementDomain",
        verbose_name=_("执法领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="power_items",
    )
    original_subject = models.CharField(_("原实施主体"), max_length=200)
    basis_text = models.TextField(_("实施依据"))
    basis_refs = models.JSONField(_("依据条款"), default=list, blank=True)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine_min = models.DecimalField(
        _("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        _("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_formula = models.CharField(_("罚款计算方式"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("行政执法事项")
        verbose_name_plural = _("行政执法事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["power_type", "domain"], name="powers_item_type_domain_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fine_min__isnull=True)
                | models.Q(fine_max__isnull=True)
                | models.Q(fine_max__gte=models.F("fine_min")),
                name="powers_item_fine_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GuidanceList(models.Model):
    """The provincial menu (省级指导清单) from which counties choose what to grant."""

    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("发布区划"), on_delete=models.PROTECT, related_name="guidance_lists"
    )
    published_on = models.DateField(_("发布日期"))
    document = models.CharField(_("发布文号"), max_length=100, blank=True)
    items = models.ManyToManyField(PowerItem, verbose_name=_("事项"), related_name="guidance_lists")

    class Meta:
        verbose_name = _("赋权指导清单")
        verbose_name_plural = _("赋权指导清单")
        ordering = ["-published_on", "name"]

    def __str__(self) -> str:
        return self.name
