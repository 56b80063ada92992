"""Benchmark: one case transition with 1,000,000 cases stored (issue 5, Benchmark).

Data: the database of bench/cases_data.py (shared with cases_list, kept between runs).

Measured: `zhifa.cases.engine.perform` as the first township's team leader (`demo_team_leader`) on
generated cases of the township's agency in investigation (general procedure): "suspend" (APL Art. 60,
with its reason) then "resume", alternately, so every case returns to where it was. Neither issues a
document or a PDF. Each perform runs the whole step: role, scope and assignment checks, the row lock
and version check, the guards, the effect, the conditional UPDATE, the next time limit, the CaseStep
and one record event, in one transaction. WARMUP pairs, then SAMPLES transitions timed.

Baseline: the bare minimum of a transition on the same cases: one transaction with the conditional
UPDATE on (id, version, state), a CaseStep insert and `record_event` (ratio = perform / baseline).
Fails (exit status 1) when the p95 of perform reaches 50 ms or a perform is refused. When
zhifa/cases/engine.py cannot be imported, only the baseline is measured and the output says so.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cases_data
from bench.common import metric, scaled, write_result
from bench.people_list import _percentile

NAME = "cases_transition"
CASES = 1_000_000
WARMUP, SAMPLES = 10, 200
TARGET_P95_MS = 50.0
LEADER = "demo_team_leader"
REASON = "当事人下落不明，暂无法继续调查"


def _plain(case_id: int, actor, action: str) -> None:
    """One transition without the engine: conditional UPDATE, CaseStep, record event."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from zhifa.cases.models import Case, CaseStep
    from zhifa.core.record import record_event

    with transaction.atomic():
        state, version, before_suspension = Case.objects.values_list(
            "state", "version", "suspended_state"
        ).get(pk=case_id)
        target = "suspended" if action == "suspend" else before_suspension
        now = timezone.now()
        updated = Case.objects.filter(pk=case_id, version=version, state=state).update(
            state=target,
            version=F("version") + 1,
            updated_at=now,
            suspended_state=state if action == "suspend" else "",
        )
        if not updated:
            raise RuntimeError(f"case {case_id} moved on")
        case = Case(pk=case_id, code=str(case_id))
        CaseStep.objects.create(
            case=case, action=action, from_state=state, to_state=target, actor=actor, actor_name="", at=now
        )
        record_event(
            actor=actor, action=f"case.{action}", obj=case, before={"state": state}, after={"state": target}
        )


def _run(case_ids: list[int], pairs: int, one) -> tuple[list[float], list[int], list[str]]:
    """Alternate suspend and resume over `case_ids`; times (ms) and query counts of each transition."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, errors = [], [], []
    for n in range(pairs):
        case_id = case_ids[n % len(case_ids)]
        for action in ("suspend", "resume"):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                try:
                    one(case_id, action)
                except Exception as exc:  # a refused step is a failure of the benchmark, reported
                    errors.append(f"{action} on case {case_id}: {exc!r}"[:300])
                    return times, queries, errors
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
    return times, queries, errors


def main() -> int:
    cases_data.setup()
    from django.contrib.auth import get_user_model

    from zhifa.cases.models import Case

    total = scaled(CASES, 1000)
    samples = scaled(SAMPLES, 60) if total < CASES else SAMPLES
    generated = cases_data.prepare(total)
    leader = get_user_model().objects.select_related("person").get(username=LEADER)
    candidates = list(
        Case.objects.filter(
            agency_id=leader.person.agency_id, state="investigating", procedure="general"
        ).values_list("id", flat=True)
    )
    if not candidates:
        print("FAILED: no case in investigation for the team leader's agency", file=sys.stderr)
        return 1
    rng = random.Random(11)
    rng.shuffle(candidates)
    plain_ids, engine_ids = (
        candidates[: len(candidates) // 2] or candidates,
        candidates[len(candidates) // 2 :],
    )
    metrics = [metric("cases stored", Case.objects.count(), "count")]
    if generated:
        metrics.append(metric("generation (demo county + cases, not in the figures below)", generated, "s"))
    metrics.append(metric("cases in investigation used", len(candidates), "count"))

    def plain(case_id: int, action: str) -> None:
        _plain(case_id, leader, action)

    _run(plain_ids, WARMUP, plain)
    base, base_queries, failures = _run(plain_ids, samples // 2, plain)
    try:
        from zhifa.cases.engine import perform
    except ImportError as exc:
        perform = None
        print(f"NOTE: zhifa.cases.engine is not importable ({exc}): baseline only", flush=True)

    if perform is not None and not failures:

        def engine(case_id: int, action: str) -> None:
            case = Case.objects.get(pk=case_id)  # as the page has it; perform locks and re-reads it
            payload = {"reason": REASON} if action == "suspend" else {"note": "恢复调查"}
            started = time.perf_counter()
            perform(actor=leader, case=case, action=action, payload=payload)
            engine.seconds.append(time.perf_counter() - started)

        engine.seconds = []
        _run(engine_ids or plain_ids, WARMUP, engine)
        engine.seconds.clear()
        _measured, queries, errors = _run(engine_ids or plain_ids, samples // 2, engine)
        failures += errors
        timed = [s * 1000 for s in engine.seconds]
        if timed:
            suspend, resume = timed[0::2], timed[1::2]
            metrics += [
                metric("perform suspend/resume p50", _percentile(timed, 0.5), "ms", _percentile(base, 0.5)),
                metric("perform suspend/resume p95", _percentile(timed, 0.95), "ms", _percentile(base, 0.95)),
                metric("perform suspend/resume mean", statistics.fmean(timed), "ms", statistics.fmean(base)),
                metric(
                    "perform suspend p95", _percentile(suspend, 0.95), "ms", _percentile(base[0::2], 0.95)
                ),
                metric("perform resume p95", _percentile(resume, 0.95), "ms", _percentile(base[1::2], 0.95)),
                metric(
                    "SQL queries per perform (max; the case read included)",
                    max(queries),
                    "count",
                    max(base_queries),
                ),
                metric("transitions timed (after warm-up)", len(timed), "count"),
            ]
            if _percentile(timed, 0.95) >= TARGET_P95_MS:
                failures.append(
                    f"perform p95 {_percentile(timed, 0.95):.1f} ms, not under {TARGET_P95_MS} ms"
                )
    else:
        metrics.append(metric("engine measured (0: zhifa.cases.engine missing or failed)", 0, "flag"))
    metrics += [
        metric("baseline (UPDATE + CaseStep + record_event) p50", _percentile(base, 0.5), "ms"),
        metric("baseline (UPDATE + CaseStep + record_event) p95", _percentile(base, 0.95), "ms"),
    ]
    write_result(NAME, metrics)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
