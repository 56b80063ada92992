"""Regions, departments, agencies, teams, zones and command centres."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule

adcode_validator = RegexValidator(r"^\d{12}$", _("区划代码必须是12位数字。"))


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    TOWNSHIP = "township", _("乡镇")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")


TOWNSHIP_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.STREET)


class Region(models.Model):
    """An administrative division with its 12-digit statistical code (统计用区划代码).

    The code is hierarchical (2 province, 2 city, 2 county, 3 township, 3 village digits), so a
    region's descendants are exactly the codes that start with its significant prefix: data scoping
    uses that prefix.
    """

    scope_rule = ScopeRule(region="adcode", directory=True)

    adcode = models.CharField(_("区划代码"), max_length=12, unique=True, validators=[adcode_validator])
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        ordering = ["adcode"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The significant leading digits of the code for this level."""
        return adcode_prefix(self.adcode, self.level)

    @property
    def is_township_level(self) -> bool:
        return self.level in TOWNSHIP_LEVELS


PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.STREET: 9,
    RegionLevel.COMMUNITY: 12,
    RegionLevel.VILLAGE: 12,
}


def adcode_prefix(adcode: str, level: str) -> str:
    return adcode[: PREFIX_LENGTH[RegionLevel(level)]]


class EnforcementDomain(models.Model):
    """An enforcement field (执法领域) named on certificates: market supervision, urban management..."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("执法领域")
        verbose_name_plural = _("执法领域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DepartmentKind(models.TextChoices):
    FUNCTIONAL = "functional", _("职能部门")
    JUSTICE_BUREAU = "justice_bureau", _("司法局")
    STAFFING_OFFICE = "staffing_office", _("编办")


class Department(models.Model):
    """A county-level functional department (县直部门) such as market supervision."""

    scope_rule = ScopeRule(region="region__adcode", agency="agency__id", directory=True)

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=20)
    kind = models.CharField(
        _("类型"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.FUNCTIONAL
    )
    region = models.ForeignKey(
        Region, verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="departments"
    )
    domains = models.ManyToManyField(EnforcementDomain, verbose_name=_("执法领域"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["region__adcode", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="org_department_unique_name")]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    TOWNSHIP_GOVERNMENT = "township", _("乡镇人民政府")
    DEPARTMENT = "department", _("部门")


class Agency(models.Model):
    """A legal subject (执法主体) in whose name decisions are issued."""

    scope_rule = ScopeRule(region="region__adcode", agency="id", directory=True)

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=20, help_text=_("用于文号"))
    kind = models.CharField(_("类型"), max_length=20, choices=AgencyKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="agencies"
    )
    department = models.OneToOneField(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency",
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["region__adcode", "name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """An enforcement team (综合执法大队/中队) of a township, or a department's enforcement unit."""

    scope_rule = ScopeRule(region="region__adcode", agency="agency_id")

    name = models.CharField(_("名称"), max_length=100)
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="teams"
    )
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="teams")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subteams",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("执法队伍")
        verbose_name_plural = _("执法队伍")
        ordering = ["region__adcode", "name"]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A zone (片区) of townships for joint enforcement, led by a zone leader and a deputy."""

    scope_rule = ScopeRule(region="county__adcode", directory=True)

    name = models.CharField(_("名称"), max_length=100)
    county = models.ForeignKey(
        Region, verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="zones"
    )
    townships = models.ManyToManyField(
        Region, verbose_name=_("乡镇（街道）"), related_name="zone_memberships"
    )
    leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("片长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zones_led",
    )
    deputy = models.ForeignKey(
        "org.Person",
        verbose_name=_("协作组长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zones_deputised",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("片区")
        verbose_name_plural = _("片区")
        ordering = ["county__adcode", "name"]

    def __str__(self) -> str:
        return self.name


class CommandCenter(models.Model):
    """A command centre (指挥中心 / 智慧治理服务中心) where clues are triaged and dispatched."""

    scope_rule = ScopeRule(region="region__adcode", directory=True)

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="command_centers"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("指挥中心")
        verbose_name_plural = _("指挥中心")
        ordering = ["region__adcode", "name"]

    def __str__(self) -> str:
        return self.name
