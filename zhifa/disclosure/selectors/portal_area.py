"""The areas the public portal is published for: a county (县、区) or a township or street (乡镇、街道).

GO118 "谁执法谁公示": each county and each township publishes what it enforces, so the portal has one
home per county and per township; a province, a city or a village has none (404).
"""

from __future__ import annotations

import re

from django.http import Http404

from zhifa.org.models import Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS

PORTAL_LEVELS = (RegionLevel.COUNTY, *TOWNSHIP_LEVELS)
ADCODE_PATTERN = re.compile(r"\d{12}")


def public_area_or_404(adcode: str) -> Region:
    """The county or township whose 12-digit code is `adcode`, with its parent; else 404.

    Public read, no user scoping: regions are public reference data. A township whose parent is not a
    county (incomplete region data) has no portal either, because its county frames every page.
    """
    if not isinstance(adcode, str) or not ADCODE_PATTERN.fullmatch(adcode):
        raise Http404
    area = Region.objects.select_related("parent").filter(adcode=adcode, level__in=PORTAL_LEVELS).first()
    if area is None:
        raise Http404
    if area.level != RegionLevel.COUNTY and (area.parent is None or area.parent.level != RegionLevel.COUNTY):
        raise Http404
    return area


def is_county(area: Region) -> bool:
    return area.level == RegionLevel.COUNTY


def county_of(area: Region) -> Region:
    """The county of a portal area (the area itself for a county)."""
    return area if is_county(area) else area.parent


def townships_of(county: Region) -> list[Region]:
    """The county's townships and streets, by code (one query)."""
    return list(Region.objects.filter(parent=county, level__in=TOWNSHIP_LEVELS).order_by("adcode"))
