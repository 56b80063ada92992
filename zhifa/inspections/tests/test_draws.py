"""Double-random draws: algorithm determinism, commitment, recusal, certificates, floors, pool changes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.inspections import draw_algorithm as algo
from zhifa.inspections.models import (
    DrawState,
    InspectorConflict,
    RandomDraw,
    RiskLevel,
    Subject,
    SubjectKind,
    Visit,
)
from zhifa.inspections.services.draws import (
    build_inspector_pool,
    draw_cancel,
    draw_commit,
    draw_create,
    draw_run,
    verify_draw,
)
from zhifa.inspections.testing import certify, uscc_for
from zhifa.org.models import RoleCode
from zhifa.org.testing import make_person

SUBJECTS = [{"id": n, "uscc": f"91350102{n:010d}", "name": f"对象{n}", "conflicts": []} for n in range(1, 21)]
INSPECTORS = [
    {
        "person": p,
        "name": f"人员{p}",
        "agency": 100 + p % 3,
        "certificate": f"C{p:04d}",
        "domains": ["market"],
    }
    for p in range(1, 8)
]


def _events(action: str) -> int:
    return Event.objects.filter(action=action).count()


# --- the pure algorithm -------------------------------------------------------------------------


def test_algorithm_is_deterministic_and_seed_dependent():
    first = algo.run_draw("seed-a", SUBJECTS, INSPECTORS, 5, 2)
    assert first == algo.run_draw("seed-a", SUBJECTS, INSPECTORS, 5, 2)
    assert first == algo.run_draw("seed-a", list(reversed(SUBJECTS)), INSPECTORS, 5, 2)
    other = algo.run_draw("seed-b", SUBJECTS, INSPECTORS, 5, 2)
    assert [r["uscc"] for r in first] != [r["uscc"] for r in other]
    assert len(first) == 5
    for row in first:
        team = row["inspectors"]
        assert len(team) == 2
        assert len({m["agency"] for m in team}) == 2  # spread across agencies
    loads = {}
    for row in first:
        for m in row["inspectors"]:
            loads[m["person"]] = loads.get(m["person"], 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 1  # balanced load


def test_algorithm_excludes_conflicts_and_refuses_single_inspector():
    subjects = [dict(s, conflicts=[1, 2, 3]) for s in SUBJECTS]
    result = algo.run_draw("s", subjects, INSPECTORS, 20, 2)
    assert all(m["person"] not in {1, 2, 3} for r in result for m in r["inspectors"])
    with pytest.raises(ValueError):
        algo.run_draw("s", SUBJECTS, INSPECTORS, 1, 1)


def test_hashes_and_sample_size():
    assert algo.commitment("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert algo.pool_hash(SUBJECTS, INSPECTORS) == algo.pool_hash(list(SUBJECTS), list(INSPECTORS))
    assert algo.pool_hash(SUBJECTS[:-1], INSPECTORS) != algo.pool_hash(SUBJECTS, INSPECTORS)
    assert algo.canonical_pools([], []) == '{"inspectors":[],"subjects":[]}'
    assert algo.sample_size_for(6, Decimal("0.5")) == 3
    assert algo.sample_size_for(10, Decimal("0.01")) == 1
    assert algo.sample_size_for(7, Decimal("0.3")) == 3
    assert algo.sample_size_for(0, Decimal("0.5")) == 0


# --- services -----------------------------------------------------------------------------------


def _create(insp, **kw) -> RandomDraw:
    today = datetime.date.today()
    args = {
        "actor": insp.user("market-leader"),
        "title": "2026年餐饮住宿双随机抽查",
        "agency": insp.agencies["market"],
        "region": insp.county.county,
        "period_start": today + datetime.timedelta(days=7),
        "period_end": today + datetime.timedelta(days=30),
        "items": [insp.items["M1"], insp.items["M2"], insp.items["S1"]],
        "ratio": Decimal("0.5"),
        "subject_filter": {"risk_levels": [RiskLevel.B, RiskLevel.C]},
    }
    args.update(kw)
    return draw_create(**args)


def _commit(insp, draw) -> RandomDraw:
    return draw_commit(actor=insp.user("market-leader"), draw=draw, version=draw.version)


def test_full_flow_is_reproducible(insp, other_insp):
    draw = _create(insp)
    assert _events("inspections.draw.create") == 1
    draw = _commit(insp, draw)
    assert draw.state == DrawState.COMMITTED
    assert len(draw.subject_pool) == 6 and draw.sample_size == 3
    ours = {s.pk for s in insp.subjects if s.risk_level in (RiskLevel.B, RiskLevel.C)}
    assert {s["id"] for s in draw.subject_pool} == ours  # not the other county's, not A or D
    assert [s["uscc"] for s in draw.subject_pool] == sorted(s["uscc"] for s in draw.subject_pool)
    assert draw.seed_commitment == algo.commitment(draw.seed)
    assert draw.pool_hash == algo.pool_hash(draw.subject_pool, draw.inspector_pool)
    commit_events = Event.objects.filter(action="inspections.draw.commit")
    assert commit_events.count() == 1
    data = commit_events.get().data
    assert draw.pool_hash in data and draw.seed_commitment in data and draw.seed not in data

    draw = draw_run(actor=insp.user("market-leader"), draw=draw, version=draw.version)
    assert draw.state == DrawState.DRAWN and draw.drawn_at is not None
    assert _events("inspections.draw.run") == 1
    assert draw.seed in Event.objects.get(action="inspections.draw.run").data
    assert draw.result == algo.run_draw(draw.seed, draw.subject_pool, draw.inspector_pool, 3, 2)
    assert verify_draw(draw)["ok"]
    visits = Visit.objects.filter(draw=draw).prefetch_related("inspectors", "items")
    assert visits.count() == 3
    for visit in visits:
        assert visit.planned_on == draw.period_start and visit.agency_id == insp.agencies["market"].pk
        assert visit.inspectors.count() == 2
        assert all(vi.certificate_number for vi in visit.inspectors.all())
        assert visit.items.count() == 3

    tampered = RandomDraw.objects.get(pk=draw.pk)
    tampered.seed = "0" * 64
    assert not verify_draw(tampered)["commitment"] and not verify_draw(tampered)["ok"]

    # No second run once drawn.
    with pytest.raises(ServiceError) as err:
        draw_run(actor=insp.user("market-leader"), draw=draw, version=draw.version)
    assert err.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ServiceError):
        draw_cancel(actor=insp.user("market-leader"), draw=draw, version=draw.version)
    assert _events("inspections.draw.run") == 1 and Visit.objects.filter(draw=draw).count() == 3


def test_conflicted_inspector_never_drawn(insp):
    conflicted = insp.officers["market"][0]
    for subject in insp.subjects:
        InspectorConflict.objects.create(person=conflicted, subject=subject, reason="近亲属经营")
    draw = _commit(insp, _create(insp, ratio=Decimal("1")))
    assert all(s["conflicts"] == [conflicted.pk] for s in draw.subject_pool)
    draw = draw_run(actor=insp.user("market-leader"), draw=draw, version=draw.version)
    drawn = {m["person"] for r in draw.result for m in r["inspectors"]}
    assert conflicted.pk not in drawn
    assert len(draw.result) == 6


def test_uncertified_and_expiring_inspectors_not_in_pool(insp):
    agency = insp.agencies["market"]
    region = insp.county.county
    market = insp.items["M1"].domain
    expired = make_person(
        username="d-expired", name="过期", region=region, roles=[RoleCode.OFFICER], agency=agency
    )
    certify(expired, "EXP001", [market], days_left=-1)
    expiring = make_person(
        username="d-soon", name="将到期", region=region, roles=[RoleCode.OFFICER], agency=agency
    )
    certify(expiring, "SOON01", [market], days_left=10)  # valid at the start, not at the end
    make_person(username="d-none", name="无证", region=region, roles=[RoleCode.OFFICER], agency=agency)
    draw = _create(insp)
    pool = {e["person"] for e in build_inspector_pool(draw)}
    expected = {p.pk for key in ("market", "safety") for p in insp.officers[key]}
    assert pool == expected


def test_ratio_below_floor_refused(insp):
    with pytest.raises(ServiceError) as err:
        _create(insp, ratio=Decimal("0.05"))  # B's floor is 0.1
    assert err.value.field == "ratio" and "0.1" in err.value.message
    with pytest.raises(ServiceError) as err:
        _create(insp, ratio=Decimal("0.5"), subject_filter={})  # A is checked every year: floor 1
    assert err.value.field == "ratio"
    for bad, field in (
        ({"period_end": datetime.date(2000, 1, 1)}, "period_end"),
        ({"items": []}, "items"),
        ({"inspectors_per_subject": 1}, "inspectors_per_subject"),
        ({"ratio": "abc"}, "ratio"),
    ):
        with pytest.raises(ServiceError) as err:
            _create(insp, **bad)
        assert err.value.field == field
    assert RandomDraw.objects.count() == 0 and _events("inspections.draw.create") == 0


def test_changed_pool_after_commit_detected(insp):
    draw = _commit(insp, _create(insp))
    Subject.objects.create(
        uscc=uscc_for(999),
        name="新开小吃",
        kind=SubjectKind.ENTERPRISE,
        address="人民路99号",
        industry=insp.industries["catering"],
        risk_level=RiskLevel.B,
        township=insp.county.townships[0],
    )
    with pytest.raises(ServiceError) as err:
        draw_run(actor=insp.user("market-leader"), draw=draw, version=draw.version)
    assert err.value.code == ErrorCode.INVALID_STATE and err.value.field == "pool"
    assert "名录库已发生变化" in err.value.message
    draw.refresh_from_db()
    assert draw.state == DrawState.COMMITTED and not Visit.objects.filter(draw=draw).exists()
    assert _events("inspections.draw.run") == 0
    draw_cancel(actor=insp.user("market-leader"), draw=draw, version=draw.version)
    draw.refresh_from_db()
    assert draw.state == DrawState.CANCELLED and _events("inspections.draw.cancel") == 1


def test_stale_version_refused(insp):
    draw = _create(insp)
    with pytest.raises(ServiceError) as err:
        draw_commit(actor=insp.user("market-leader"), draw=draw, version=draw.version + 5)
    assert err.value.code == ErrorCode.CONFLICT
    assert _events("inspections.draw.commit") == 0


@pytest.mark.parametrize("user_key", ["safety-leader", "safety-0", "market-0"])
def test_other_agency_or_officer_refused(insp, user_key):
    with pytest.raises(ServiceError) as err:
        _create(insp, actor=insp.user(user_key))
    assert err.value.code == ErrorCode.NOT_ALLOWED
    draw = _create(insp)
    for service in (draw_commit, draw_cancel):
        with pytest.raises(ServiceError) as err:
            service(actor=insp.user(user_key), draw=draw, version=draw.version)
        assert err.value.code == ErrorCode.NOT_ALLOWED
    draw = _commit(insp, draw)
    with pytest.raises(ServiceError) as err:
        draw_run(actor=insp.user(user_key), draw=draw, version=draw.version)
    assert err.value.code == ErrorCode.NOT_ALLOWED
    assert _events("inspections.draw.run") == 0
