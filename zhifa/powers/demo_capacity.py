"""The demo county's capacity assessment (承接能力评估): a round over version 2, half the townships rated.

Seed 000: the county justice bureau periodically assesses what was handed down; seed 004: the report
says how many granted items can be handled. The demo round runs (not concluded), so the report, the
township rating form and the county's proposals can all be tried. Written through the real services.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from zhifa.org.models import Region
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.powers.models import (
    CapacityAssessment,
    CapacityRating,
    GrantList,
    GrantListStatus,
    Proposal,
    SelfRating,
)
from zhifa.powers.services import capacity

SEED = 20260401
PERIOD = (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))
UNABLE_REASONS = (
    "缺少专业检测设备，需部门技术支持。",
    "近两年未发生此类违法行为，人员未经专门培训。",
    "持证人员不足，难以独立办案。",
)


def load_capacity_demo(county: Region, county_user, township_user, counts: Counter) -> None:
    """Start the round on the newest published version and rate the first half of the townships."""
    if CapacityAssessment.objects.filter(county=county).exists():
        return
    version = (
        GrantList.objects.filter(county=county, status=GrantListStatus.PUBLISHED)
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        return
    assessment = capacity.capacity_assessment_start(
        actor=county_user,
        county=county,
        grant_list=version,
        title="2026年度赋权事项承接能力评估",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
    )
    counts["powers.capacityassessment"] += 1
    rng = random.Random(SEED)
    townships = list(Region.objects.filter(parent=county, level__in=TOWNSHIP_LEVELS).order_by("adcode"))
    for township in townships[: len(townships) // 2]:
        rows = CapacityRating.objects.filter(assessment=assessment, township=township).order_by("item__code")
        ratings = []
        for row in rows:
            draw = rng.random()
            rating = SelfRating.ABLE if draw < 0.6 else SelfRating.MOSTLY if draw < 0.8 else SelfRating.UNABLE
            reason = rng.choice(UNABLE_REASONS) if rating == SelfRating.UNABLE else ""
            ratings.append(capacity.RatingInput(row.item_id, rating, reason, row.version))
        counts["powers.capacityrating"] += capacity.capacity_rating_set(
            actor=township_user(township), assessment=assessment, township=township, ratings=ratings
        )
        unable = [r for r in rows.select_related("item") if r.rating == SelfRating.UNABLE][:2]
        for row in unable:
            capacity.capacity_proposal_set(
                actor=county_user,
                assessment=assessment,
                township=township,
                item=row.item,
                proposal=Proposal.REVOKE,
                note="乡镇自评不能承接，建议下一版本收回原部门行使。",
            )
