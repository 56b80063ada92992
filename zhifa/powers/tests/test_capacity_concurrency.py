"""Concurrent writes to a round on PostgreSQL: no silent overwrite, no rating lost by the conclusion."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

from zhifa.core.errors import ServiceError
from zhifa.org.models import RoleCode
from zhifa.powers.models import AssessmentStatus, CapacityAssessment, CapacityRating, Judgement, SelfRating
from zhifa.powers.services import capacity as services
from zhifa.powers.tests.grant_helpers import county_admin, leader
from zhifa.powers.tests.test_capacity_helpers import build_world, start_round

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def run_together(*jobs: Callable[[], None]) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def work(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=10)
            job()
            results.append("ok")
        except ServiceError as exc:
            results.append(str(exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def test_two_conclusions_one_wins(county):
    world = build_world(county)
    assessment = start_round(world)
    actors = [county_admin(county), county.user(RoleCode.JUSTICE_BUREAU, "county")]

    def conclude(actor) -> Callable[[], None]:
        stale = CapacityAssessment.objects.select_related("county").get(pk=assessment.pk)
        return lambda: services.capacity_assessment_conclude(
            actor=actor, assessment=stale, version=stale.version
        )

    assert run_together(*(conclude(a) for a in actors)) == ["conflict", "ok"]


@pytest.mark.parametrize("attempt", range(3))
def test_a_rating_racing_the_conclusion_is_either_frozen_in_or_refused(county, attempt):
    world = build_world(county)
    assessment = start_round(world)
    gx0 = world.items[0]
    stale = CapacityAssessment.objects.select_related("county").get(pk=assessment.pk)

    def rate() -> None:
        services.capacity_rating_set(
            actor=leader(county),
            assessment=CapacityAssessment.objects.get(pk=assessment.pk),
            township=world.t0,
            ratings=[services.RatingInput(gx0.pk, SelfRating.ABLE)],
        )

    def conclude() -> None:
        services.capacity_assessment_conclude(actor=county_admin(county), assessment=stale)

    results = run_together(rate, conclude)
    assert "ok" in results and set(results) <= {"ok", "invalid_state"}
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CONCLUDED
    row = CapacityRating.objects.get(assessment=assessment, township=world.t0, item=gx0)
    # Township 0 has two certified market officers: the frozen judgement follows the rating that stands.
    assert row.judgement == (Judgement.CAN if row.rating == SelfRating.ABLE else Judgement.CANNOT)
    assert (row.rating == SelfRating.ABLE) == (results == ["ok", "ok"])
