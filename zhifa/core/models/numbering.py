"""Gap-free counters for document numbers (文号)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSeries(models.Model):
    """One counter per series key (e.g. agency 12, document type "penalty_decision", year 2026)."""

    key = models.CharField(_("序列"), max_length=120, unique=True)
    last = models.PositiveIntegerField(_("当前号"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"
