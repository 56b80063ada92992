"""Benchmark: the case list with filters over 1,000,000 cases (issue 5, Benchmark).

Data (bench/cases_data.py, not timed, kept between runs in var/bench/cases.sqlite3 / PostgreSQL
`zhifa_bench_cases`, shared with cases_transition): the demo county, a million cases over two years
with their parties, officers, steps and record events.

Measured, as a township officer (`demo_officer`, first township) and as the county justice bureau
(`demo_justice`), for each filter of FILTERS: `zhifa.cases.selectors.cases.case_list` (bounded count,
page of 50 rows with agency, item, region, team, first party and lead officer) p50/p95 over SAMPLES
calls after WARMUP; the page `GET /cases/?...` through Django's test client when that URL exists
(else the selector only, and the output says so); and the state tabs that the page loads just after
its rows, `GET /cases/tabs/?...` (the bounded counts per state under the same filter). Queries of the
selector (and of the page) for page sizes 10 and 100 must be equal. Also timed:
`case_counts_by_state` (the state tabs, bounded) without a filter, and the text filter (no index:
reported, not held to the target).

Baseline: one raw SQL query returning the same page (the selector's page query, compiled, run with a
cursor: no count, no model instances); ratio = selector / raw.
Fails (exit status 1) when a p95 of the selector, the page or its tabs reaches 100 ms for a filter of
the target,
or when the query counts of page sizes 10 and 100 differ.
"""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cases_data
from bench.common import metric, scaled, write_result
from bench.people_list import _percentile

NAME = "cases_list"
CASES = 1_000_000
WARMUP, SAMPLES = 5, 40
TARGET_P95_MS = 100.0
USERS = (("township", "demo_officer"), ("county", "demo_justice"))


def _filters(user, label: str) -> dict[str, dict]:
    """The filters measured for `user`, as query parameters (CaseFilters.from_params reads them)."""
    from django.utils import timezone

    from zhifa.cases.models import Case
    from zhifa.cases.selectors.cases import CaseFilters, filtered_cases
    from zhifa.org.models import Agency

    person = user.person
    if label == "township":
        agency = person.agency_id
    else:  # the busiest department of the county
        agency = Agency.objects.filter(short_name__endswith="市监").values_list("id", flat=True).first()
    newest = filtered_cases(user, CaseFilters()).order_by("-created_at").values_list("item_id", flat=True)
    item = newest.first() or Case.objects.values_list("item_id", flat=True).first()
    today = timezone.localdate()
    month = (
        (today - datetime.timedelta(days=400)).isoformat(),
        (today - datetime.timedelta(days=370)).isoformat(),
    )
    return {
        "no filter": {},
        "agency": {"agency": agency},
        "state investigating": {"state": "investigating"},
        "states notified+hearing+review": {"state": "notified,hearing,review"},
        "state archived": {"state": "archived"},
        "overdue": {"overdue": "1"},
        "item": {"item": item},
        "登记日期 one month": {"date_from": month[0], "date_to": month[1]},
        "立案日期 one month": {"date_on": "filed", "date_from": month[0], "date_to": month[1]},
        "agency + state + month": {
            "agency": agency,
            "state": "archived",
            "date_from": month[0],
            "date_to": month[1],
        },
    }


TEXT_FILTER = {"q": "建材"}  # no index (code or title containing the words): reported, not a target


def _time(fn, samples: int) -> list[float]:
    for _ in range(WARMUP):
        fn()
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def _page_url() -> str | None:
    from django.urls import Resolver404, resolve

    try:
        resolve("/cases/")
    except Resolver404:
        return None
    return "/cases/"


def main() -> int:
    cases_data.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from zhifa.cases.models import Case
    from zhifa.cases.selectors.cases import (
        CaseFilters,
        bounded_count,
        case_counts_by_state,
        case_list,
        filtered_cases,
        page_rows,
    )

    total = scaled(CASES, 1000)
    samples = scaled(SAMPLES, 15) if total < CASES else SAMPLES
    generated = cases_data.prepare(total)
    stored = Case.objects.count()
    url = _page_url()
    failures, metrics = [], [metric("cases stored", stored, "count")]
    if generated:
        metrics.append(metric("generation (demo county + cases, not in the figures below)", generated, "s"))
    if url is None:
        print("NOTE: /cases/ does not resolve: measuring the selector only", flush=True)
    users = get_user_model().objects.select_related("person")
    for label, username in USERS:
        user = users.get(username=username)
        client = Client()
        client.force_login(user)
        cases = {**_filters(user, label), "text (no index, not a target)": TEXT_FILTER}
        for name, params in cases.items():
            filters = CaseFilters.from_params({k: str(v) for k, v in params.items()})
            if filters.invalid:
                raise SystemExit(f"bad benchmark filter {name}: {params}")
            target = not name.startswith("text")
            samples_here = samples if target else min(samples, 10)  # the text filter is slow: fewer

            def selector(filters=filters, size=50, user=user):
                page = case_list(user, filters=filters, page=1, page_size=size)
                return [(c.code, c.first_party_name, c.lead_officer_name, c.item.name) for c in page.rows]

            dense = bounded_count(filtered_cases(user, filters))[1]  # as case_list builds its page
            page_qs = page_rows(filtered_cases(user, filters, dense=dense), 0, 50)
            sql, sql_params = page_qs.query.sql_with_params()

            def raw(sql=sql, sql_params=sql_params):
                with connection.cursor() as cursor:
                    cursor.execute(sql, sql_params)
                    return cursor.fetchall()

            selected, base = _time(selector, samples_here), _time(raw, samples_here)
            small, large = _queries(lambda: selector(size=10)), _queries(lambda: selector(size=100))
            tag = f"{label} · {name}"
            metrics += [
                metric(f"{tag} · case_list p50", _percentile(selected, 0.5), "ms", _percentile(base, 0.5)),
                metric(f"{tag} · case_list p95", _percentile(selected, 0.95), "ms", _percentile(base, 0.95)),
                metric(f"{tag} · queries for 10 / 100 rows", small, "count", large),
            ]
            if small != large:
                failures.append(f"{tag}: {small} queries for 10 rows, {large} for 100")
            if target and _percentile(selected, 0.95) >= TARGET_P95_MS:
                failures.append(f"{tag}: case_list p95 {_percentile(selected, 0.95):.1f} ms")
            if url is not None:
                query = urlencode(params)

                def get(size=50, query=query, client=client):
                    response = client.get(f"{url}?{query}&page_size={size}")
                    if response.status_code != 200:
                        raise SystemExit(f"{url}?{query} answered {response.status_code}")

                page_times = _time(get, samples_here)
                p_small, p_large = _queries(lambda: get(size=10)), _queries(lambda: get(size=100))
                metrics += [
                    metric(f"{tag} · page p50", _percentile(page_times, 0.5), "ms", _percentile(base, 0.5)),
                    metric(f"{tag} · page p95", _percentile(page_times, 0.95), "ms", _percentile(base, 0.95)),
                    metric(f"{tag} · page queries for 10 / 100 rows", p_small, "count", p_large),
                ]
                if p_small != p_large:
                    failures.append(f"{tag}: page: {p_small} queries for 10 rows, {p_large} for 100")
                if target and _percentile(page_times, 0.95) >= TARGET_P95_MS:
                    failures.append(f"{tag}: page p95 {_percentile(page_times, 0.95):.1f} ms")

                def tabs(query=query, client=client):
                    response = client.get(f"{url}tabs/?{query}")
                    if response.status_code != 200:
                        raise SystemExit(f"{url}tabs/?{query} answered {response.status_code}")

                tab_times = _time(tabs, samples_here)
                metrics += [
                    metric(f"{tag} · tabs p50", _percentile(tab_times, 0.5), "ms"),
                    metric(f"{tag} · tabs p95", _percentile(tab_times, 0.95), "ms"),
                ]
                if target and _percentile(tab_times, 0.95) >= TARGET_P95_MS:
                    failures.append(f"{tag}: tabs p95 {_percentile(tab_times, 0.95):.1f} ms")
            print(
                f"{tag}: p50 {_percentile(selected, 0.5):.1f} ms, p95 {_percentile(selected, 0.95):.1f}",
                flush=True,
            )
        tabs = _time(lambda user=user: case_counts_by_state(user, CaseFilters()), samples)
        metrics += [
            metric(f"{label} · case_counts_by_state p50 (not a target)", _percentile(tabs, 0.5), "ms"),
            metric(f"{label} · case_counts_by_state p95 (not a target)", _percentile(tabs, 0.95), "ms"),
        ]
    if url is None:
        metrics.append(metric("page /cases/ measured (0: the URL does not resolve)", 0, "flag"))
    write_result(NAME, metrics)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
