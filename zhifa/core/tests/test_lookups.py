"""The `__under` lookup: division-code prefixes as index-friendly ranges (used by data scoping)."""

from __future__ import annotations

import pytest

from zhifa.core.lookups import prefix_bounds
from zhifa.org.models import Region, RegionLevel

pytestmark = pytest.mark.django_db


def test_prefix_bounds():
    assert prefix_bounds("3501") == ("350100000000", "350199999999")
    assert prefix_bounds("350102001000") == ("350102001000", "350102001000")
    for bad in ("", "35a", "3" * 13):
        with pytest.raises(ValueError):
            prefix_bounds(bad)


def test_under_matches_exactly_the_prefix_subtree():
    county = Region.objects.create(adcode="350102000000", name="县", level=RegionLevel.COUNTY)
    inside = Region.objects.create(
        adcode="350102001000", name="镇", level=RegionLevel.TOWNSHIP, parent=county
    )
    Region.objects.create(adcode="350103001000", name="邻县镇", level=RegionLevel.TOWNSHIP)
    Region.objects.create(adcode="350101999999", name="前一个", level=RegionLevel.VILLAGE)
    assert set(Region.objects.filter(adcode__under="350102")) == {county, inside}
    assert list(Region.objects.filter(adcode__under="350102001")) == [inside]
    # Same answer as a LIKE prefix match, on either database.
    assert set(Region.objects.filter(adcode__under="3501")) == set(
        Region.objects.filter(adcode__startswith="3501")
    )


def test_scope_filter_uses_indexed_columns_not_a_join_on_region(county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.org.models import Certificate, Person, RoleCode
    from zhifa.org.scoping import visible

    user = county.user(RoleCode.OFFICER, "t0")
    with CaptureQueriesContext(connection) as ctx:
        list(visible(Person.objects.all(), user).values_list("pk", flat=True))
        list(visible(Certificate.objects.all(), user).values_list("pk", flat=True))
    people_sql, certificate_sql = ctx.captured_queries[-2]["sql"], ctx.captured_queries[-1]["sql"]
    assert '"org_person"."region_id" IN (SELECT' in people_sql
    assert "BETWEEN" in people_sql and "LIKE" not in people_sql
    assert '"org_certificate"."holder_id" IN (SELECT' in certificate_sql
