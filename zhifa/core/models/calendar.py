"""Working-day calendar overrides entered by administrators (LAW.md section 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose holiday table an administrator has entered from the State Council notice.

    A year that neither the calendar package covers nor has a complete table here gives provisional
    deadlines (computed from weekends and the fixed statutory holidays).
    """

    year = models.PositiveIntegerField(_("年度"), unique=True)
    notice = models.CharField(
        _("通知文号"), max_length=200, blank=True, help_text=_("如：国办发明电〔2026〕x号")
    )
    complete = models.BooleanField(_("已录入完整"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day whose status differs from the default: a holiday (放假) or a make-up working day (调休上班)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"))
    name = models.CharField(_("名称"), max_length=60, blank=True, help_text=_("如：春节"))

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"
