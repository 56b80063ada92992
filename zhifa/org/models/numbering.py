"""Document number templates per agency and document type (provinces differ in format)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class NumberTemplate(models.Model):
    """E.g. ``{agency}罚决字〔{year}〕第{seq}号`` -> 某综执罚决字〔2026〕第12号 (no leading zeros)."""

    scope_rule = ScopeRule(region="agency__region__adcode", agency="agency_id")

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.CASCADE, related_name="number_templates"
    )
    doc_type = models.CharField(_("文书类型"), max_length=40)
    template = models.CharField(_("模板"), max_length=120)

    class Meta:
        verbose_name = _("文号模板")
        verbose_name_plural = _("文号模板")
        constraints = [
            models.UniqueConstraint(fields=["agency", "doc_type"], name="org_numbertemplate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.doc_type}: {self.template}"
