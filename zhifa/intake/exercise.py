"""The clues a township handled for each item: the "clues" source of the capacity assessment.

APL Art. 24 asks for periodic evaluation of whether townships can carry the powers handed to them; the
assessment (zhifa.powers.exercise) counts, per township and item, the clues routed to the township's
own agency for the item and reported in the period. Dismissed and merged clues are not counted: they
were never handled as that matter. One GROUP BY query, whatever the number of townships and items.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db.models import Count

from zhifa.intake.models import Clue, ClueStatus
from zhifa.org.models import AgencyKind


def count_clues(
    township_ids: Collection[int], item_ids: Collection[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], int]:
    """{(township_id, item_id): n}: clues the township's own agency took on, reported in [start, end]."""
    if not township_ids or not item_ids:
        return {}
    through = Clue.items.through
    rows = (
        through.objects.filter(
            clue__township_id__in=township_ids,
            poweritem_id__in=item_ids,
            clue__reported_at__date__gte=start,
            clue__reported_at__date__lte=end,
            clue__assigned_agency__kind=AgencyKind.TOWNSHIP_GOVERNMENT,
        )
        .exclude(clue__status__in=(ClueStatus.DISMISSED, ClueStatus.MERGED))
        .values("clue__township_id", "poweritem_id")
        .annotate(n=Count("clue_id"))
    )
    return {(row["clue__township_id"], row["poweritem_id"]): row["n"] for row in rows}
