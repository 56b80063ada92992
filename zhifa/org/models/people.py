"""People, their roles, status and secondments (下沉/派驻, "县属乡用")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import Scope, ScopeRule


def seconded_into(person_path: str):
    """Visibility of people seconded (下沉) into a township the scope covers, while the secondment runs.

    `person_path` is the lookup from the scoped model to the Person ("" for Person itself).
    """
    prefix = f"{person_path}__" if person_path else ""

    def condition(scope: Scope) -> models.Q | None:
        if not scope.region_prefixes:
            return None
        today = datetime.date.today()
        places = models.Q(pk__in=[])
        for region_prefix in scope.region_prefixes:
            places |= models.Q(to_agency__region__adcode__under=region_prefix)
        active = models.Q(start_date__lte=today) & (
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=today)
        )
        seconded = Secondment.objects.filter(places & active).values("person_id")
        return models.Q(**{f"{prefix}id__in": seconded})

    return condition


class RoleCode(models.TextChoices):
    DISPATCHER = "dispatcher", _("指挥调度员")
    OFFICER = "officer", _("执法人员")
    TEAM_LEADER = "team_leader", _("队长")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核员")
    ZONE_LEADER = "zone_leader", _("片长")
    JUSTICE_BUREAU = "justice_bureau", _("司法局")
    ADMIN = "admin", _("系统管理员")
    GRID_WORKER = "grid_worker", _("网格员")


class Role(models.Model):
    """A role; rows are created by a data migration, one per `RoleCode`."""

    code = models.CharField(_("编码"), max_length=20, primary_key=True, choices=RoleCode.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    TRANSFERRED = "transferred", _("已调离")
    RETIRED = "retired", _("已退休")


class Person(models.Model):
    """A person working in the system. `region` is where they work: it drives data scoping."""

    scope_rule = ScopeRule(region="region__adcode", agency="agency_id", extra=seconded_into(""))

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    name = models.CharField(_("名称"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("工作区划"), on_delete=models.PROTECT, related_name="people"
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("执法主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("执法队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    command_center = models.ForeignKey(
        "org.CommandCenter",
        verbose_name=_("指挥中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="people")
    status = models.CharField(
        _("状态"), max_length=12, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["region__adcode", "name", "id"]
        indexes = [models.Index(fields=["region", "status", "name"], name="org_person_region_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == PersonStatus.ACTIVE


class Secondment(models.Model):
    """A person seconded from a department to a township team; they act for the township meanwhile."""

    scope_rule = ScopeRule(region="to_agency__region__adcode", agency="from_agency_id")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="secondments"
    )
    from_agency = models.ForeignKey(
        "org.Agency", verbose_name=_("派出单位"), on_delete=models.PROTECT, related_name="secondments_out"
    )
    to_agency = models.ForeignKey(
        "org.Agency", verbose_name=_("派驻单位"), on_delete=models.PROTECT, related_name="secondments_in"
    )
    to_team = models.ForeignKey(
        "org.Team",
        verbose_name=_("派驻队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondees",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("下沉派驻")
        verbose_name_plural = _("下沉派驻")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="org_secondment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.to_agency}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)
