"""Two people acting on the same case at once (issue 5, "Bad input and reliability"): one wins, the other
is told; no lost update. Needs PostgreSQL (concurrent connections and row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

import pytest
from django.db import connection

from zhifa.cases.models import Case, Extension, Party
from zhifa.cases.services.acts import case_extend
from zhifa.cases.services.parties import PartyInput, party_update
from zhifa.cases.tests.test_acts_support import filed_case
from zhifa.core.errors import ServiceError

ON_POSTGRESQL = connection.vendor == "postgresql"
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def race(*actions: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(actions))
    results: list[str] = []

    def work(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            results.append("ok")
        except ServiceError as exc:
            results.append(str(exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def test_two_extensions_from_the_same_page_one_wins_art60(world, media):
    case = filed_case(world)
    version = case.version
    results = race(
        lambda: case_extend(actor=world.leader, case=case, days=10, reason="检测", version=version),
        lambda: case_extend(actor=world.leader, case=case, days=15, reason="鉴定", version=version),
    )
    assert results == ["conflict", "ok"]
    case = Case.objects.get(pk=case.pk)
    assert Extension.objects.filter(case=case).count() == 1
    assert case.extension_days == Extension.objects.get(case=case).days  # no lost update
    assert case.version == version + 1


def test_two_corrections_of_a_party_one_wins(world):
    case = filed_case(world)
    party = Party.objects.create(
        case=case,
        kind="organisation",
        name="某公司",
        id_type="uscc",
        id_number="91350100M000100Y43",
        legal_representative="王某",
        address="旧地址",
    )
    data = PartyInput(
        kind="organisation",
        name="某公司",
        id_type="uscc",
        id_number="91350100M000100Y43",
        legal_representative="王某",
        address="新地址一",
    )
    results = race(
        lambda: party_update(actor=world.officer, party=party, data=data, version=1),
        lambda: party_update(
            actor=world.second_officer.user, party=party, data=replace(data, address="新地址二"), version=1
        ),
    )
    assert results == ["conflict", "ok"]
    party.refresh_from_db()
    assert party.version == 2 and party.address in ("新地址一", "新地址二")
