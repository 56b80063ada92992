"""The cases a township filed for each item: the "cases" source of the capacity assessment.

APL Art. 24 asks for periodic evaluation of whether townships can carry the powers handed to them; the
assessment (zhifa.powers.exercise) counts, per township and item, the penalty cases filed in the period
by the township's own agency. One GROUP BY query, whatever the number of townships and items.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db.models import Count

from zhifa.cases.models import Case
from zhifa.org.models import AgencyKind


def count_cases(
    township_ids: Collection[int], item_ids: Collection[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], int]:
    """{(township_id, item_id): n}: cases filed (or decided on the spot) by the township's agency."""
    if not township_ids or not item_ids:
        return {}
    rows = (
        Case.objects.filter(
            agency__region_id__in=township_ids,
            agency__kind=AgencyKind.TOWNSHIP_GOVERNMENT,
            item_id__in=item_ids,
            filed_on__gte=start,
            filed_on__lte=end,
        )
        .values("agency__region_id", "item_id")
        .annotate(n=Count("id"))
    )
    return {(row["agency__region_id"], row["item_id"]): row["n"] for row in rows}
