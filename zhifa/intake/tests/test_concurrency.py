"""Two dispatchers acting on the same clue at once: exactly one action wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhifa.core.errors import ServiceError
from zhifa.intake.models import Clue, ClueStatus, ClueStep
from zhifa.intake.services import dispatch
from zhifa.intake.services.report import clue_report
from zhifa.intake.tests.helpers import build_intake_world, clue_input
from zhifa.org.models import RoleCode

ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_dispatch_and_dismiss_at_once_one_wins(county):
    world = build_intake_world(county)
    first = world.user(RoleCode.DISPATCHER, "county")
    clue = clue_report(actor=world.user(RoleCode.GRID_WORKER, "t0"), data=clue_input(world))
    clue = dispatch.clue_classify(actor=first, clue=clue, items=[world.claimed])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def work(action) -> None:
        try:
            stale = Clue.objects.get(pk=clue.pk)
            barrier.wait(timeout=10)
            action(stale)
            results.append("ok")
        except ServiceError as exc:
            results.append(str(exc.code))
        finally:
            connection.close()

    actions = [
        lambda c: dispatch.clue_dispatch(actor=first, clue=c, version=c.version),
        lambda c: dispatch.clue_dismiss(actor=first, clue=c, reason="重复", version=c.version),
    ]
    threads = [threading.Thread(target=work, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["conflict", "ok"]
    clue.refresh_from_db()
    assert clue.status in (ClueStatus.DISPATCHED, ClueStatus.DISMISSED)
    assert ClueStep.objects.filter(clue=clue, kind__in=("dispatch", "dismiss")).count() == 1
