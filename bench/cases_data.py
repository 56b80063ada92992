"""Data of the case benchmarks (bench/cases_list.py, bench/cases_transition.py): a million cases.

`ensure_demo()` (bench/intake_create_data.py) loads the demo county and the powers demo; then
`generate_cases(n)` writes n penalty cases as they would have piled up over two years, with raw
multi-row inserts (SQLite) or COPY (PostgreSQL) in batches, not through the ORM:

- agency: the 12 township governments (about 75 % of the cases, log-normal weights) and the 13
  departments with certified officers (the market and urban-management bureaus the busiest); item:
  one the agency may enforce (a township: its grant list; a department: its domains), a few items
  per agency the most frequent; region: the township, or a village/community of it (departments:
  anywhere in the county); team: the township's team;
- the route the case takes (ROUTES: penalty, with hearing or collective discussion, court
  enforcement, no penalty, rectification order, reminder letter, simplified procedure paid later or
  on the spot, declined, terminated, transferred, to the judiciary), the steps of the route with
  their names from zhifa.cases.procedure, each a nominal number of days after registration times the
  case's pace (log-normal; one case in twenty is slow); a step that would lie in the future has not
  happened, so old cases are closed or archived (one in eight closed ones not yet archived) and
  recent ones are spread over the open states; 1 % of the open general cases are suspended;
- next_due_on: the nearest running time limit of the state it stands in (filing, decision 90 days
  after filing, service, payment, rectification), so that slow cases are overdue;
- one party (80 %) or two (natural persons, individual businesses, organisations), two officers
  (lead and assistant) from the agency's certified officers;
- a CaseStep per transition (about 6 a case) and a record event (core.Event) per transition plus
  the "case.open" event of registration, in time order, chained with the real hash function
  (zhifa.core.record.event_message) from the chain head, which is advanced: `verify_record` passes.

The secondary indexes of the tables written are dropped before the load and created again after it
(faster than maintaining them row by row); a database whose load did not finish lacks them and is
generated again (`complete()`).
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from bench.intake_create_data import _defaults, _write, ensure_demo

BATCH = 10_000
STEP_BATCH = 50_000
DAYS = 730
TABLES = ("cases_case", "cases_party", "cases_caseofficer", "cases_casestep", "core_event")
MARKER_INDEX = "cases_case_agency_state_idx"
DB_NAME, PG_DATABASE = "cases", "zhifa_bench_cases"

P1, P3 = ("propose_filing", "filing", 1), ("approve_filing", "investigating", 3)
CLOSE = (("close", "closed"), ("archive", "archived"))
# name: (weight %, procedure, outcome once decided, ((action, state reached, nominal day), ...)).
ROUTES: dict[str, tuple[int, str, str, tuple[tuple[str, str, float], ...]]] = {
    "penalty": (32, "general", "penalty", (P1, P3, ("notify", "notified", 30),
        ("submit_review", "review", 40), ("review_pass", "deciding", 44), ("decide_penalty", "decided", 50),
        ("serve", "executing", 53),
        ("paid", "executed", 66), ("close", "closed", 75), ("archive", "archived", 110))),
    "hearing": (3, "general", "penalty", (P1, P3, ("notify", "notified", 30), ("open_hearing", "hearing", 38),
        ("submit_review", "review", 52), ("review_pass", "deciding", 56), ("decide_penalty", "decided", 62),
        ("serve", "executing", 65), ("paid", "executed", 78), ("close", "closed", 86),
        ("archive", "archived", 120))),
    "discussion": (3, "general", "penalty", (P1, P3, ("notify", "notified", 30),
        ("submit_review", "review", 40), ("review_pass", "discussion", 45), ("discuss", "deciding", 52),
        ("decide_penalty", "decided", 58), ("serve", "executing", 61), ("paid", "executed", 74),
        ("close", "closed", 82), ("archive", "archived", 115))),
    "enforcement": (2, "general", "penalty", (P1, P3, ("notify", "notified", 30),
        ("submit_review", "review", 40), ("review_pass", "deciding", 44), ("decide_penalty", "decided", 50),
        ("serve", "executing", 53), ("apply_enforcement", "enforcement", 150),
        ("enforcement_done", "executed", 260), ("close", "closed", 270), ("archive", "archived", 300))),
    "no_penalty": (4, "general", "no_penalty", (P1, P3, ("propose_no_penalty", "review", 25),
        ("review_pass", "deciding", 29), ("decide_no_penalty", "decided", 33), ("serve", "executed", 36),
        ("close", "closed", 45), ("archive", "archived", 80))),
    "rectify": (14, "general", "rectification", (("order_rectification", "rectifying", 0.2),
        ("confirm_rectified", "executed", 18), ("close", "closed", 25), ("archive", "archived", 60))),
    "reminder": (4, "general", "reminder", (("send_reminder", "executed", 0.5), ("close", "closed", 10),
        ("archive", "archived", 50))),
    "spot_later": (18, "simplified", "penalty", (("decide_on_the_spot", "executing", 0.01),
        ("paid", "executed", 10), ("close", "closed", 15), ("archive", "archived", 45))),
    "spot_cash": (12, "simplified", "penalty", (("decide_on_the_spot", "executed", 0.01),
        ("close", "closed", 5), ("archive", "archived", 40))),
    "decline": (3, "general", "terminated", (("decline", "terminated", 8), ("close", "closed", 12),
        ("archive", "archived", 45))),
    "terminate": (2, "general", "terminated", (P1, P3, ("terminate", "terminated", 40),
        ("close", "closed", 45), ("archive", "archived", 80))),
    "transfer": (2, "general", "transfer", (("transfer", "transferred", 5), ("close", "closed", 10),
        ("archive", "archived", 45))),
    "judiciary": (1, "general", "judiciary", (P1, P3, ("transfer_judiciary", "transferred", 30),
        ("close", "closed", 36), ("archive", "archived", 70))),
}  # fmt: skip
DECIDING_ACTIONS = {"decide_penalty", "decide_no_penalty", "decide_on_the_spot"}
OUTCOME_AT = {
    "order_rectification",
    "send_reminder",
    "decline",
    "terminate",
    "transfer",
    "transfer_judiciary",
}
SUSPENDABLE = {"investigating", "notified", "hearing", "review", "discussion", "deciding"}
SOURCES = (("inspection", 40), ("clue", 30), ("complaint", 15), ("self", 12), ("transfer", 3))
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌宇浩凯鹏辉"
ORG_WORDS = ("建材", "食品", "包装", "五金", "餐饮", "物流", "商贸", "农资", "建筑", "石材", "家具", "渔业")
ORG_KINDS = ("有限公司", "有限责任公司", "股份有限公司", "合作社")


def suffix() -> str:
    """The database name suffix of a scaled run (databases of their own per BENCH_SCALE)."""
    from bench.common import scale

    return "" if scale() == 1 else "_scale" + f"{scale():g}".replace(".", "_")


def setup() -> None:
    """Django on the case benchmarks' database (shared by cases_list and cases_transition, kept between
    runs): var/bench/cases<suffix>.sqlite3, or PostgreSQL `zhifa_bench_cases<suffix>`."""
    import os

    from bench.common import django_setup

    os.environ.setdefault("BENCH_DB_NAME", PG_DATABASE + suffix())
    django_setup(DB_NAME + suffix())


def prepare(total: int) -> float | None:
    """The database with `total` generated cases; returns the generation time when generated now."""
    from bench.common import fresh_database
    from zhifa.cases.models import Case

    if complete():
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)  # the kept database follows the models
        if Case.objects.count() == total:
            return None
    print(f"generating the demo county and {total:,} cases (not timed) ...", flush=True)
    fresh_database()
    started = time.perf_counter()
    ensure_demo()
    result = generate_cases(total)
    seconds = time.perf_counter() - started
    print(f"generated in {seconds:.1f} s: {result}", flush=True)
    return seconds


def complete() -> bool:
    """Whether a finished load is there: its last act re-creates the indexes."""
    from django.db import DatabaseError, connection

    from zhifa.cases.models import Case

    try:
        with connection.cursor() as cursor:
            columns = {c.name for c in connection.introspection.get_table_description(cursor, "cases_case")}
            indexed = MARKER_INDEX in connection.introspection.get_constraints(cursor, "cases_case")
    except DatabaseError:  # no database yet, or not migrated
        return False
    # A migration edited in place (before its first release) leaves the kept database behind the model.
    return indexed and columns == {field.column for field in Case._meta.concrete_fields}


def _context() -> dict[str, Any]:
    """Agencies with their officers, team, regions and items; the chain head."""
    from zhifa.org.models import Agency, AgencyKind, Certificate, Person, Region, Team
    from zhifa.powers.models import GrantEntry, GrantList, PowerItem

    certified = set(Certificate.objects.values_list("holder_id", flat=True))
    county_regions = list(
        Region.objects.exclude(level__in=["county", "city", "province"]).values_list("id", "parent_id")
    )
    published = GrantList.objects.filter(status="published").order_by("-number").first()
    agencies = []
    for agency in Agency.objects.filter(is_active=True).select_related("department", "region").order_by("id"):
        officers = [
            (p.pk, p.user_id, p.name)
            for p in Person.objects.filter(agency=agency, user__isnull=False).order_by("id")
            if p.pk in certified
        ]
        if len(officers) < 2:
            continue
        if agency.kind == AgencyKind.TOWNSHIP_GOVERNMENT:  # its grant list
            entries = GrantEntry.objects.filter(grant_list=published, township=agency.region_id)
            items = list(entries.filter(item__power_type="penalty").values_list("item_id", flat=True))
            regions = [agency.region_id] + [r for r, parent in county_regions if parent == agency.region_id]
        else:  # its domains
            domains = agency.department.domains.all() if agency.department_id else []
            items = list(
                PowerItem.objects.filter(domain__in=domains, power_type="penalty").values_list(
                    "id", flat=True
                )
            )
            regions = [r for r, _parent in county_regions]
        items.sort()
        if not items:
            continue
        team = Team.objects.filter(agency=agency).order_by("id").values_list("id", flat=True).first()
        code = agency.region.adcode[:6] + f"{agency.pk:03d}"  # departments share the county's region
        agencies.append(
            {"id": agency.pk, "kind": agency.kind, "short": agency.short_name, "code": code, "team": team}
            | {"officers": officers, "items": items, "regions": regions}
        )
    names = dict(Region.objects.values_list("id", "name"))
    item_names = dict(PowerItem.objects.values_list("id", "name"))
    item_codes = dict(PowerItem.objects.values_list("id", "code"))
    return {"agencies": agencies, "region_names": names, "item_names": item_names, "item_codes": item_codes}


def _violation(item_name: str) -> str:
    """The 案由 phrase of an item: "对……的处罚" -> "……"."""
    text = item_name.removeprefix("对")
    for suffix in ("的行政处罚", "的处罚", "行为的处罚"):
        text = text.removesuffix(suffix)
    return text[:80]


def _plan(total: int, ctx: dict[str, Any], seed: int) -> dict[str, Any]:
    """Every random draw, vectorised: per case and per step (see the module docstring)."""
    import numpy as np

    gen = np.random.default_rng(seed)
    agencies = ctx["agencies"]
    weights = np.array(
        [(3.0 if a["kind"] == "township" else 0.55) * gen.lognormal(0, 0.35) for a in agencies]
    )
    for a in agencies:
        if a["short"].endswith(("市监", "城管")):
            weights[agencies.index(a)] *= 3
    now = time.time()
    created = now - np.sort(gen.uniform(0, DAYS * 86400, total))[::-1]  # epoch seconds, oldest first
    names = list(ROUTES)
    route_p = np.array([ROUTES[n][0] for n in names], dtype=float)
    route = gen.choice(len(names), size=total, p=route_p / route_p.sum())
    pace = gen.lognormal(0, 0.3, total) * np.where(
        gen.uniform(size=total) < 0.05, gen.uniform(2, 6, total), 1
    )
    unarchived = gen.uniform(size=total) < 0.12
    plan = {
        "now": now,
        "created": created,
        "agency": gen.choice(len(agencies), size=total, p=weights / weights.sum()),
        "route": route,
        "u": gen.uniform(size=(total, 8)),
        "route_names": names,
        "last": np.full(total, -1, dtype=np.int16),
        "updated": created.copy(),
        "times": {},
    }
    steps_case, steps_time, steps_pos = [np.arange(total)], [created], [np.full(total, -1)]
    for r, name in enumerate(names):
        rows = np.flatnonzero(route == r)
        offsets = np.array([day for _a, _s, day in ROUTES[name][3]])
        times = created[rows, None] + offsets[None, :] * pace[rows, None] * 86400
        times += gen.uniform(0, 3600, times.shape)
        if ROUTES[name][3][-1][0] == "archive":
            times[unarchived[rows], -1] = np.inf
        times = np.maximum.accumulate(times, axis=1)
        done = times <= now
        last = done.sum(axis=1) - 1
        plan["last"][rows] = last
        plan["updated"][rows] = np.where(
            last >= 0, times[np.arange(len(rows)), np.maximum(last, 0)], created[rows]
        )
        plan["times"][r] = (rows, times)
        case_idx, pos = np.nonzero(done)
        steps_case.append(rows[case_idx])
        steps_time.append(times[case_idx, pos])
        steps_pos.append(pos)
    # Suspension (APL Art. 60): 1 % of the open general cases in a state that may be suspended.
    suspended = np.zeros(total, dtype=bool)
    for r, name in enumerate(names):
        rows, times = plan["times"][r]
        states = np.array([s for _a, s, _d in ROUTES[name][3]])
        last = plan["last"][rows]
        open_ok = np.isin(states[np.maximum(last, 0)], list(SUSPENDABLE)) & (last >= 0)
        picked = rows[open_ok & (plan["u"][rows, 7] < 0.01)]
        suspended[picked] = True
    sus_rows = np.flatnonzero(suspended)
    sus_time = plan["updated"][sus_rows] + (now - plan["updated"][sus_rows]) * 0.5  # after its last step
    steps_case.append(sus_rows)
    steps_time.append(sus_time)
    steps_pos.append(np.full(len(sus_rows), -2))
    plan["suspended"], plan["suspended_at"] = (
        suspended,
        dict(zip(sus_rows.tolist(), sus_time.tolist(), strict=True)),
    )
    case_of = np.concatenate(steps_case)
    time_of = np.concatenate(steps_time)
    order = np.argsort(time_of, kind="stable")
    plan["step_case"], plan["step_time"], plan["step_pos"] = (
        case_of[order],
        time_of[order],
        np.concatenate(steps_pos)[order],
    )
    return plan


def _local_date(epoch: float) -> datetime.date:
    return (datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=epoch + 8 * 3600)).date()


def _iso(epoch: float) -> str:
    """Naive UTC ISO time with microseconds, as the chain hashes it (plus "Z")."""
    return (datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=round(epoch * 1e6))).isoformat(
        timespec="microseconds"
    )


def _db_time(iso: str, postgres: bool) -> str:
    """How Django stores an aware time: naive UTC text on SQLite, with the offset for PostgreSQL COPY."""
    text = iso.replace("T", " ")
    return text + "+00:00" if postgres else text


def _first_time(plan: dict[str, Any], actions: set[str], total: int) -> Any:
    """Per case, the time of its first performed step among `actions` (NaN when none)."""
    import numpy as np

    out = np.full(total, np.nan)
    for r, (rows, times) in plan["times"].items():
        steps = ROUTES[plan["route_names"][r]][3]
        for pos in reversed(range(len(steps))):
            if steps[pos][0] in actions:
                done = plan["last"][rows] >= pos
                out[rows[done]] = times[done, pos]
    return out


def _per_case(total: int, ctx: dict[str, Any], plan: dict[str, Any]) -> dict[str, list]:
    """Item, region, officers and the dates of the steps that set case fields, as Python lists."""
    import numpy as np

    u = plan["u"]
    item = np.zeros(total, dtype=np.int64)
    region = np.zeros(total, dtype=np.int64)
    for k, agency in enumerate(ctx["agencies"]):
        rows = np.flatnonzero(plan["agency"] == k)
        items = np.array(agency["items"])
        rank = np.random.default_rng(k).permutation(len(items))
        cum = np.cumsum(1 / (rank + 1.0) ** 1.1)
        item[rows] = items[np.minimum(np.searchsorted(cum / cum[-1], u[rows, 0]), len(items) - 1)]
        regions = np.array(agency["regions"])
        pick = (u[rows, 1] * len(regions)).astype(int)
        if agency["kind"] == "township":
            pick = np.where(
                u[rows, 1] < 0.6, 0, 1 + (u[rows, 1] * 1e4).astype(int) % max(1, len(regions) - 1)
            )
        region[rows] = regions[np.minimum(pick, len(regions) - 1)]
    times = {
        key: _first_time(plan, actions, total).tolist()
        for key, actions in (
            ("filed", {"approve_filing"}),
            ("review", {"submit_review", "propose_no_penalty"}),
            ("decided", DECIDING_ACTIONS),
            ("served", {"serve", "decide_on_the_spot"}),
            ("paid", {"paid", "enforcement_done"}),
            ("closed", {"close"}),
            ("archived", {"archive"}),
            ("outcome", DECIDING_ACTIONS | OUTCOME_AT),
        )
    }
    return {"item": item.tolist(), "region": region.tolist(), **times}


def _due(state: str, filed, decided, served, order, discovered) -> tuple[datetime.date | None, str]:
    """The nearest running time limit of a case standing in `state` (dates in local time)."""
    day = datetime.timedelta(days=1)
    if state == "source":
        return discovered + 21 * day, "filing"  # APL Art. 54 (15 working days, local rule)
    if state in SUSPENDABLE | {"filing"} and filed is not None:
        return filed + 90 * day, "decision"  # APL Art. 60
    if state == "decided" and decided is not None:
        return decided + 9 * day, "service"  # APL Art. 61: 7 working days
    if state == "executing" and served is not None:
        return served + 15 * day, "payment"  # APL Art. 67
    if state == "rectifying" and order is not None:
        return order + 15 * day, "rectification"  # APL Art. 28
    return None, ""


CASE_COLUMNS = (
    "id", "code", "procedure", "state", "source", "source_note", "clue_id", "transferred_from_id",
    "agency_id", "team_id", "region_id", "item_id", "title", "facts", "address", "lng", "lat", "act_on",
    "act_continuing_until", "discovered_on", "art36_harm", "complex_case", "filed_on", "filing_number",
    "intended_types", "intended_fine", "intended_confiscation", "hearing_offered", "review_tier", "outcome",
    "penalty_types", "fine_amount", "confiscation_amount", "decided_on", "decision_number", "served_on",
    "payment_due_on", "paid_amount", "closed_on", "archived_on", "extension_days", "paused_days",
    "decision_due_on", "next_due_on", "next_due_key", "suspended_state", "created_by_id", "created_at",
    "updated_at", "data", "version",
)  # fmt: skip
PARTY_COLUMNS = (
    "case_id", "kind", "name", "id_type", "id_number", "legal_representative", "birth_date", "address",
    "phone", "e_service_consent", "e_service_address", "e_service_consent_evidence_id", "created_at",
    "version",
)  # fmt: skip
OFFICER_COLUMNS = (
    "case_id", "person_id", "role", "assigned_on", "no_conflict_declared", "withdrawn_on", "withdrawn_reason",
)  # fmt: skip
STEP_COLUMNS = ("case_id", "action", "from_state", "to_state", "actor_id", "actor_name", "note", "at", "data")
EVENT_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "data",
    "prev_hash",
    "hash",
)


def _party(rng, i: int, region_name: str, stamp: str) -> tuple[tuple, str]:
    """One party row (without its case id) and its name."""
    person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    roll = rng.random()
    if roll < 0.55:
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
        number = f"350499{birth:%Y%m%d}{i % 1000:03d}{rng.choice('0123456789X')}"
        return ("person", person, "resident_id", number, "", birth.isoformat()), person
    if roll < 0.8:
        name = f"{region_name[:2]}{person}{rng.choice(ORG_WORDS)}店"
        return ("business", name, "uscc", f"92350499{i:010d}", person, None), name
    name = f"沙溪县{region_name[:2]}{rng.choice(ORG_WORDS)}{rng.choice(ORG_KINDS)}"
    return ("organisation", name, "uscc", f"91350499{i:010d}", person, None), name


def _write_cases(total: int, ctx: dict, plan: dict, per: dict, first_id: int, postgres: bool) -> dict:
    """The case rows with their parties and officers, in batches; returns what the steps need."""
    import random

    from django.db import transaction

    from zhifa.cases.models import Case, CaseOfficer, Party

    rng = random.Random(total)
    agencies, names = ctx["agencies"], plan["route_names"]
    agency_of, route_of, last_of = plan["agency"].tolist(), plan["route"].tolist(), plan["last"].tolist()
    created_of, updated_of, u = plan["created"].tolist(), plan["updated"].tolist(), plan["u"].tolist()
    suspended_at = plan["suspended_at"]
    models = ((Case, CASE_COLUMNS), (Party, PARTY_COLUMNS), (CaseOfficer, OFFICER_COLUMNS))
    extras = [_defaults(model, columns) for model, columns in models]
    sources, source_w = zip(*SOURCES, strict=True)
    counters: dict[tuple[int, int], int] = {}
    out = {"code": [], "lead": [], "source": [], "state_before_suspension": {}}
    counts = {"cases": 0, "parties": 0, "officers": 0}

    def day(t: float) -> datetime.date | None:
        return _local_date(t) if t == t else None  # NaN: the step has not happened

    for start in range(0, total, BATCH):
        cases, parties, officers = [], [], []
        for i in range(start, min(total, start + BATCH)):
            a, ui = agencies[agency_of[i]], u[i]
            _w, procedure, outcome_kind, steps = ROUTES[names[route_of[i]]]
            last = last_of[i]
            state = steps[last][1] if last >= 0 else "source"
            suspended_state = ""
            if i in suspended_at:
                out["state_before_suspension"][i] = suspended_state = state
                state = "suspended"
            created = created_of[i]
            stamp = _db_time(_iso(created), postgres)
            created_day = _local_date(created)
            key = (agency_of[i], created_day.year)
            counters[key] = seq = counters.get(key, 0) + 1
            code = f"{a['code']}-{created_day.year}-{seq:05d}"
            case_id = first_id + i
            region_name = ctx["region_names"][per["region"][i]]
            first_party, party_name = _party(rng, i, region_name, stamp)
            party_rows = [first_party]
            if ui[4] < 0.2:
                party_rows.append(_party(rng, i + total, region_name, stamp)[0])
            for kind, name, id_type, number, representative, birth in party_rows:
                phone = f"13{rng.randrange(10**9):09d}"
                address = f"{region_name}{rng.randint(1, 300)}号"
                row = (case_id, kind, name, id_type, number, representative, birth, address, phone, False)
                parties.append((*row, "", None, stamp, 1))
            n = len(a["officers"])
            first = int(ui[2] * n)
            second = (first + 1 + int(ui[3] * (n - 1))) % n
            lead, assist = a["officers"][first], a["officers"][second]
            officers.append((case_id, lead[0], "lead", created_day, True, None, ""))
            officers.append((case_id, assist[0], "assist", created_day, True, None, ""))
            filed, decided, served = day(per["filed"][i]), day(per["decided"][i]), day(per["served"][i])
            paid, closed, archived = day(per["paid"][i]), day(per["closed"][i]), day(per["archived"][i])
            outcome = outcome_kind if per["outcome"][i] == per["outcome"][i] else ""
            organisation = first_party[0] != "person"
            fine = None
            if outcome == "penalty":
                fine = (
                    (rng.choice((50, 100, 200)) if not organisation else rng.choice((200, 500, 1000, 2000)))
                    if procedure == "simplified"
                    else max(200, round(rng.lognormvariate(7.6, 1.0), -2))
                )
            notified = procedure == "general" and outcome_kind == "penalty" and last >= 2
            payment_due = served + datetime.timedelta(days=15) if served and fine else None
            paid_amount = f"{fine:.2f}" if fine and (paid or names[route_of[i]] == "spot_cash") else "0"
            if state == "suspended":
                due_on, due_key = None, ""
            else:
                order = day(per["outcome"][i]) if names[route_of[i]] == "rectify" else None
                due_on, due_key = _due(state, filed, decided, served, order, created_day)
            last_time = suspended_at.get(i) or updated_of[i]
            tier = (
                ("township" if ui[6] < 0.8 else "department" if ui[6] < 0.95 else "panel")
                if per["review"][i] == per["review"][i]
                else ""
            )
            short, y = a["short"], created_day.year
            title = f"{party_name}{_violation(ctx['item_names'][per['item'][i]])}案"[:200]
            decision_kind = "当罚" if procedure == "simplified" else "罚决"
            suspension = f'{{"suspended_on":"{_local_date(suspended_at[i])}"}}' if i in suspended_at else "{}"
            act_on = created_day - datetime.timedelta(days=rng.randint(0, 10))
            filing_number = f"{short}立字〔{y}〕第{seq}号" if filed else ""
            decision_number = f"{short}{decision_kind}字〔{y}〕第{seq}号" if decided else ""
            address = f"{region_name}{rng.randint(1, 300)}号"
            types = '["罚款"]'
            cases.append((
                case_id, code, procedure, state, rng.choices(sources, source_w)[0], "", None, None, a["id"],
                a["team"], per["region"][i], per["item"][i], title, "", address, None, None, act_on, None,
                created_day, False, False, filed, filing_number, types if notified else "[]",
                f"{fine:.2f}" if notified and fine else None, None,
                names[route_of[i]] == "hearing" and notified,
                tier, outcome, types if fine else "[]", f"{fine:.2f}" if fine else None, None, decided,
                decision_number, served, payment_due, paid_amount, closed, archived, 0, 0,
                filed + datetime.timedelta(days=90) if filed else None, due_on, due_key,
                suspended_state, lead[1], stamp, _db_time(_iso(last_time), postgres), suspension,
                2 + last + (i in suspended_at),
            ))  # fmt: skip
            out["code"].append(code)
            out["lead"].append((lead[1], lead[2]))
            out["source"].append(cases[-1][4])
        with transaction.atomic():
            for table, columns, rows, extra in (
                ("cases_case", CASE_COLUMNS, cases, extras[0]),
                ("cases_party", PARTY_COLUMNS, parties, extras[1]),
                ("cases_caseofficer", OFFICER_COLUMNS, officers, extras[2]),
            ):
                _write(table, columns + extra[0], [row + extra[1] for row in rows], postgres)
        counts["cases"] += len(cases)
        counts["parties"] += len(parties)
        counts["officers"] += len(officers)
    return {**out, "counts": counts}


def _write_steps(plan: dict, ctx: dict, made: dict, per: dict, first_id: int, postgres: bool) -> dict:
    """A CaseStep per transition and a chained record event per transition and registration, in time
    order, continuing the chain from its head (which is advanced at the end)."""
    import json

    from django.db import transaction

    from zhifa.cases.models import CaseStep
    from zhifa.core.models import ChainHead, Event
    from zhifa.core.record import GENESIS, SEPARATOR, canonical_json, hash_function

    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, "")
    seq, prev = head[0], head[1] or GENESIS
    new_hash = hash_function()
    names, route_of = plan["route_names"], plan["route"].tolist()
    codes, leads, sources, before = (
        made["code"],
        made["lead"],
        made["source"],
        made["state_before_suspension"],
    )
    item_codes = [ctx["item_codes"][item] for item in per["item"]]
    quoted: dict[str, str] = {}
    step_extra, event_extra = _defaults(CaseStep, STEP_COLUMNS), _defaults(Event, EVENT_COLUMNS)
    counts = {"steps": 0, "events": 0}
    total = len(plan["step_case"])
    for start in range(0, total, STEP_BATCH):
        steps, events = [], []
        cases = plan["step_case"][start : start + STEP_BATCH].tolist()
        moments = plan["step_time"][start : start + STEP_BATCH].tolist()
        positions = plan["step_pos"][start : start + STEP_BATCH].tolist()
        for c, moment, pos in zip(cases, moments, positions, strict=True):
            seq += 1
            case_id, code = first_id + c, codes[c]
            user_id, name = leads[c]
            if name not in quoted:
                quoted[name] = json.dumps(name, ensure_ascii=False)
            iso = _iso(moment)
            stamp = _db_time(iso, postgres)
            if pos == -1:  # registration (case.open): no CaseStep, as zhifa.cases.services.cases.case_open
                action = "case.open"
                data = (
                    f'{{"actor_name":{quoted[name]},"after":{{"item":"{item_codes[c]}","source":"{sources[c]}"}},'
                    f'"before":null,"object_repr":"{code}"}}'
                )
            else:
                if pos == -2:
                    act, source, target = "suspend", before[c], "suspended"
                else:
                    route = ROUTES[names[route_of[c]]][3]
                    act, target = route[pos][0], route[pos][1]
                    source = route[pos - 1][1] if pos else "source"
                action = "case." + act
                data = (
                    f'{{"actor_name":{quoted[name]},"after":{{"state":"{target}"}},'
                    f'"before":{{"state":"{source}"}},"object_repr":"{code}"}}'
                )
                steps.append((case_id, act, source, target, user_id, name, "", stamp, "{}"))
            message = SEPARATOR.join(
                (str(seq), iso + "Z", str(user_id), action, "cases.case", str(case_id), data, prev)
            )
            digest = new_hash(message.encode("utf-8")).hexdigest()
            events.append((seq, stamp, user_id, action, "cases.case", str(case_id), data, prev, digest))
            prev = digest
        if events[0][6] != canonical_json(json.loads(events[0][6])):
            raise SystemExit(f"generated event data is not canonical JSON: {events[0][6]}")
        with transaction.atomic():
            _write(
                "cases_casestep", STEP_COLUMNS + step_extra[0], [r + step_extra[1] for r in steps], postgres
            )
            _write(
                "core_event", EVENT_COLUMNS + event_extra[0], [r + event_extra[1] for r in events], postgres
            )
        counts["steps"] += len(steps)
        counts["events"] += len(events)
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})
    return counts


def _secondary_indexes(table: str, postgres: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of `table` that back no constraint (and no primary key)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                " WHERE t.relname = %s AND NOT x.indisprimary"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master"
                " WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return list(cursor.fetchall())


def _skip_foreign_key_checks(cursor) -> None:
    """PostgreSQL checks every foreign key of every COPYed row at commit (the RI triggers), most of the
    load's time; the generated rows are consistent by construction, so a superuser session skips them
    (session_replication_role). Without the privilege the checks simply run."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic():
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:
        pass


def generate_cases(total: int, seed: int = 5) -> dict[str, Any]:
    """Write `total` cases with parties, officers, steps and record events (see the module docstring)."""
    from django.db import connection
    from django.db.models import Max

    from zhifa.cases.models import Case

    postgres = connection.vendor == "postgresql"
    timings: dict[str, float] = {}
    started = time.perf_counter()
    ctx = _context()
    plan = _plan(total, ctx, seed)
    per = _per_case(total, ctx, plan)
    timings["plan"] = time.perf_counter() - started
    first_id = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    indexes = {table: _secondary_indexes(table, postgres) for table in TABLES}
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            _skip_foreign_key_checks(cursor)
        else:
            cursor.execute("PRAGMA cache_size = -1000000")
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.execute("PRAGMA threads = 2")  # CREATE INDEX sorts with a helper thread
            cursor.execute("PRAGMA synchronous = OFF")
        for table in TABLES:
            for name, _sql in indexes[table]:
                cursor.execute(f'DROP INDEX "{name}"')
    mark = time.perf_counter()
    made = _write_cases(total, ctx, plan, per, first_id, postgres)
    timings["cases"] = time.perf_counter() - mark
    mark = time.perf_counter()
    counts = {**made["counts"], **_write_steps(plan, ctx, made, per, first_id, postgres)}
    timings["steps_events"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        for table in reversed(TABLES):  # cases_case last: its marker index says the load is complete
            for _name, sql in indexes[table]:
                cursor.execute(sql)
    timings["indexes"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), MAX(id)) FROM cases_case"
            )
            cursor.execute("RESET session_replication_role")
            for table in TABLES:  # settled as autovacuum would leave them (not during the measurement)
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("ANALYZE")  # the demo county's tables too (the scope's region subquery)
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA synchronous = NORMAL")
    timings["analyze"] = time.perf_counter() - mark
    return {**counts, "timings": timings}
