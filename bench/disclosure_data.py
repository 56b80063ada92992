"""Data of the portal search benchmark (bench/disclosure_search.py): a province and a million publications.

`prepare(n)` keeps the database between runs (var/bench/disclosure.sqlite3 / PostgreSQL
`zhifa_bench_disclosure`) and generates it when missing, incomplete or of another size:

- the province of `generate_province` (1,000 townships in 80 counties, their township governments and
  county departments; fewer people and grid cells than the province benchmark, which the portal search
  does not read) and the built-in power catalogue (234 items in their enforcement domains);
- n publications as three years of publishing would leave them, oldest first (so ids follow the
  publication date, as `publication_publish` numbers them): agency (township governments about 75 %,
  log-normal weights, market and urban-management departments busier), a catalogue item of its domain
  mix (a few items frequent), region (the township; for a department's case one of its county's
  townships 70 % of the time, else the county), party (40 %
  natural persons, masked as 张某某 / 李某; else an enterprise with its USCC), decision number
  (<agency>罚决字〔year〕第n号), penalty (fine 92 %, with a warning, confiscation, suspension or licence
  revocation sometimes), a redacted body of a few hundred characters, `search_terms` from
  `search.search_terms_for` over the same fields as `services.publication_publish`; 0.3 % withdrawn
  with a notice, 0.5 % exempt; the publication period of 3 years (2 for a person) so the oldest
  persons' decisions have expired;
- written with multi-row inserts (SQLite) or COPY (PostgreSQL) in batches of 10,000 with the secondary
  indexes dropped (SQLite: also the FTS5 table; PostgreSQL keeps the generated tsvector column, filled
  as rows are copied, and skips the foreign-key triggers), then re-created (SQLite: `search.install`
  fills the FTS5 table from the rows) and ANALYZEd.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from bench.cases_data import _skip_foreign_key_checks
from bench.intake_create_data import _defaults, _write

BATCH = 10_000
YEARS = 3
DB_NAME, PG_DATABASE = "disclosure", "zhifa_bench_disclosure"
TABLE = "disclosure_publication"
MARKER_INDEX = "disclosure_pub_area_idx"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
)
ORG_WORDS = (
    "建材", "食品", "包装", "五金", "餐饮", "物流", "商贸", "农资", "建筑", "石材", "家具", "渔业", "汽修",
    "服装", "电子", "化工", "印刷", "茶业", "医药", "酒店", "文化", "环保", "机械", "塑料",
)  # fmt: skip
ORG_KINDS = ("有限公司", "有限责任公司", "股份有限公司", "专业合作社", "经营部", "个体工商户")
PENALTIES = (  # (weight, types)
    (70, ("罚款",)),
    (10, ("警告", "罚款")),
    (10, ("罚款", "没收违法所得")),
    (4, ("没收违法所得", "没收非法财物", "罚款")),
    (3, ("通报批评",)),
    (2, ("责令停产停业", "罚款")),
    (1, ("吊销许可证件",)),
)
KINDS = (("penalty", 85), ("other", 12), ("inspection", 3))
COLUMNS = (
    "id", "kind", "state", "case_id", "agency_id", "region_id", "adcode", "domain_id", "item_id",
    "decision_number", "decided_on", "title", "party_kind", "party_name", "party_uscc", "violation",
    "penalty_types", "penalty_text", "fine_amount", "body", "extra_masks", "search_terms", "due_on",
    "published_on", "published_at", "published_by_id", "expires_on", "revoked_on", "withdrawal_reason",
    "withdrawal_due_on", "withdrawn_at", "withdrawal_notice", "withdrawn_by_id", "exempt_reason",
    "exempt_note", "created_at", "version",
)  # fmt: skip


def suffix() -> str:
    from bench.common import scale

    return "" if scale() == 1 else "_scale" + f"{scale():g}".replace(".", "_")


def setup() -> None:
    """Django on the benchmark's database, kept between runs."""
    import os

    from bench.common import django_setup

    os.environ.setdefault("BENCH_DB_NAME", PG_DATABASE + suffix())
    django_setup(DB_NAME + suffix())


def complete() -> bool:
    """Whether a finished load is there: its last acts re-create the indexes and the search index."""
    from django.db import DatabaseError, connection

    from zhifa.disclosure import search
    from zhifa.disclosure.models import Publication

    try:
        with connection.cursor() as cursor:
            columns = {c.name for c in connection.introspection.get_table_description(cursor, TABLE)}
            indexed = MARKER_INDEX in connection.introspection.get_constraints(cursor, TABLE)
    except DatabaseError:
        return False
    search.forget_backend()
    model_columns = {f.column for f in Publication._meta.concrete_fields}
    return indexed and model_columns <= columns and search.backend() != search.LIKE


def prepare(total: int) -> float | None:
    """The database with `total` publications; returns the generation time when generated now."""
    from django.core.management import call_command

    from bench.common import fresh_database
    from zhifa.disclosure.models import Publication

    if complete():
        call_command("migrate", verbosity=0, interactive=False)
        if Publication.objects.count() == total:
            return None
    print(f"generating a province and {total:,} publications (not timed) ...", flush=True)
    fresh_database()
    started = time.perf_counter()
    result = generate(total)
    seconds = time.perf_counter() - started
    print(f"generated in {seconds:.1f} s: {result}", flush=True)
    return seconds


def _province() -> None:
    from bench.common import scaled
    from zhifa.org.generate.province import ProvinceSize, generate_province
    from zhifa.org.models import Region
    from zhifa.powers.catalog import ensure_catalog_domains, load_power_catalog
    from zhifa.powers.demo import fire_department

    townships = scaled(1000, 24)
    generate_province(
        ProvinceSize(
            townships=townships, grid_cells=townships * 5 + 100, people=townships * 4, certificates=200
        ),
        seed=3,
    )
    ensure_catalog_domains()
    for county in Region.objects.filter(level="county").order_by("adcode"):
        fire_department(county)  # the catalogue's fire items name it as their original subject
    load_power_catalog()


def _context() -> dict[str, Any]:
    from zhifa.org.models import Agency, AgencyKind, Region
    from zhifa.powers.models import PowerItem

    townships: dict[int, list] = {}
    for township in Region.objects.filter(level__in=["township", "street"]).order_by("adcode"):
        townships.setdefault(township.parent_id, []).append(township)

    items = list(PowerItem.objects.filter(power_type="penalty").values_list("id", "name", "domain_id"))
    by_domain: dict[int, list] = {}
    for item in items:
        by_domain.setdefault(item[2], []).append(item)
    agencies = []
    for agency in Agency.objects.filter(is_active=True).select_related("region", "department").order_by("id"):
        if agency.kind == AgencyKind.TOWNSHIP_GOVERNMENT:
            pool = items
            weight = 3.0
        else:
            domains = (
                set(agency.department.domains.values_list("id", flat=True)) if agency.department_id else set()
            )
            pool = [i for d in domains for i in by_domain.get(d, [])]
            weight = 1.5 if agency.short_name.endswith(("市监", "城管")) else 0.3
        if not pool:
            continue
        agencies.append(
            {"id": agency.pk, "name": agency.name, "short": agency.short_name, "region": agency.region}
            | {"pool": sorted(pool), "weight": weight, "places": townships.get(agency.region_id, [])}
        )
    return {"agencies": agencies}


def _violation(item_name: str) -> str:
    text = item_name.removeprefix("对")
    for end in ("的行政处罚", "行为的处罚", "的处罚"):
        text = text.removesuffix(end)
    return text[:120]


def _uscc(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + f"{rng.randrange(10**6):06d}" + "".join(rng.choice(alphabet) for _ in range(10))


def _body(p: dict[str, Any], rng: random.Random) -> str:
    days = rng.randint(3, 40)
    return (
        f"{p['agency']}\n行政处罚决定书\n{p['number']}\n"
        f"当事人：{p['party']}\n"
        + (
            f"统一社会信用代码：{p['uscc']}\n"
            if p["uscc"]
            else "身份证件号码：＊＊＊＊＊＊＊＊\n住址：＊＊＊＊\n"
        )
        + f"经查，当事人存在{p['violation']}的行为。本机关于{p['found']}依法立案调查，"
        f"制作现场检查笔录并收集相关证据，当事人于{days}日内未提出陈述、申辩（或陈述、申辩理由不成立）。\n"
        f"上述事实有现场检查笔录、询问笔录、现场照片等证据证实。\n"
        f"本机关认为，当事人的行为违反了有关法律、法规的规定，依据《中华人民共和国行政处罚法》及相关规定，"
        f"决定给予如下行政处罚：{p['penalty']}。\n"
        "当事人应当自收到本决定书之日起十五日内到指定银行缴纳罚款，逾期不缴纳的，每日按罚款数额的百分之三加处罚款。\n"
        "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。\n"
        f"{p['agency']}\n{p['decided']}"
    )


def generate(total: int, seed: int = 6) -> dict[str, Any]:
    """The province, the catalogue and `total` publications (see the module docstring)."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.disclosure import rules, search
    from zhifa.disclosure.models import Publication

    timings: dict[str, float] = {}
    mark = time.perf_counter()
    _province()
    timings["province"] = time.perf_counter() - mark
    mark = time.perf_counter()
    ctx = _context()
    postgres = connection.vendor == "postgresql"
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    agencies = ctx["agencies"]
    weights = np.array([a["weight"] * gen.lognormal(0, 0.5) for a in agencies])
    agency_of = gen.choice(len(agencies), size=total, p=weights / weights.sum()).tolist()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365 * YEARS)
    offsets = np.sort(gen.integers(0, 365 * YEARS + 1, size=total)).tolist()  # oldest first
    kinds, kind_w = zip(*KINDS, strict=True)
    pen_w, pen_types = zip(*PENALTIES, strict=True)
    extra = _defaults(Publication, COLUMNS)
    now = timezone.now()
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") + ("+00:00" if postgres else "")
    counters: dict[tuple[int, int], int] = {}
    # Item popularity per agency: a few items frequent (Zipf-like over a per-agency shuffle).
    pools = []
    for a in agencies:
        pool = list(a["pool"])
        rng.shuffle(pool)
        pools.append((pool, [1 / (k + 1) ** 1.1 for k in range(len(pool))]))
    with connection.cursor() as cursor:
        if not postgres:  # the FTS5 table is filled from the rows afterwards (search.install)
            search.uninstall(connection)
        # PostgreSQL keeps its generated column (computed as rows are copied); its GIN indexes are
        # secondary indexes, dropped and re-created with the others.
        indexes = _secondary_indexes(cursor, postgres)
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if postgres:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            _skip_foreign_key_checks(cursor)
        else:
            cursor.execute("PRAGMA cache_size = -1000000")
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.execute("PRAGMA synchronous = OFF")
    timings["plan"] = time.perf_counter() - mark
    mark = time.perf_counter()
    counts = {"published": 0, "withdrawn": 0, "exempt": 0}
    for first in range(0, total, BATCH):
        rows = []
        for i in range(first, min(total, first + BATCH)):
            a = agencies[agency_of[i]]
            pool, pool_w = pools[agency_of[i]]
            item_id, item_name, domain_id = rng.choices(pool, pool_w)[0]
            published = start + datetime.timedelta(days=offsets[i])
            decided = published - datetime.timedelta(days=rng.randint(1, 9))
            region = a["region"]
            if a["places"] and rng.random() < 0.7:  # a department's case in one of the county's townships
                region = rng.choice(a["places"])
            person = rng.random() < 0.4
            if person:
                surname = rng.choice(SURNAMES)
                party = surname + ("某某" if rng.random() < 0.6 else "某")
                uscc = ""
            else:
                party = (
                    f"{region.name[:2]}{rng.choice(SURNAMES)}{rng.choice(ORG_WORDS)}{rng.choice(ORG_KINDS)}"
                )
                uscc = _uscc(rng)
            kind = rng.choices(kinds, kind_w)[0]
            types = list(rng.choices(pen_types, pen_w)[0]) if kind == "penalty" else []
            fine = None
            if "罚款" in types:
                fine = max(200, round(rng.lognormvariate(7.8, 1.0), -2))
            penalty = "；".join(f"罚款人民币{fine}元" if t == "罚款" else t for t in types) or (
                "责令限期改正" if kind == "other" else "检查合格"
            )
            key = (a["id"], decided.year)
            counters[key] = seq = counters.get(key, 0) + 1
            number = f"{a['short']}罚决字〔{decided.year}〕第{seq}号"
            violation = _violation(item_name)
            title = f"{party}{violation}案"[:200]
            body = _body(
                {"agency": a["name"], "number": number, "party": party, "uscc": uscc, "violation": violation}
                | {"found": decided - datetime.timedelta(days=30), "penalty": penalty, "decided": decided},
                rng,
            )
            terms = search.search_terms_for([title, party, uscc, number, violation, penalty, a["name"]])
            state, reason, notice, withdrawn_at, exempt = "published", "", "", None, ""
            roll = rng.random()
            if roll < 0.003:
                state, reason = "withdrawn", "revoked"
                notice = "该行政处罚决定已被行政复议机关撤销，现予撤回公示。"
                withdrawn_at = stamp
            elif roll < 0.008:
                state, exempt = "exempt", "privacy"
            expires = rules.expires_on(published, years=2 if person else 3)
            pub_on = published if state != "exempt" else None
            rows.append(
                (
                    i + 1, kind, state, None, a["id"], region.pk, region.adcode, domain_id, item_id, number,
                    decided, title, "person" if person else "organisation", party, uscc, violation,
                    _json(types), penalty[:300], f"{fine:.2f}" if fine else None, body, "[]", terms,
                    published, pub_on, stamp if pub_on else None, None, expires if pub_on else None,
                    None, reason, None, withdrawn_at, notice, None, exempt,
                    "依法不予公开" if exempt else "", stamp, 1,
                )
                + extra[1]
            )  # fmt: skip
            counts[state] += 1
        with transaction.atomic():
            _write(TABLE, COLUMNS + extra[0], rows, postgres)
    timings["rows"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
    timings["indexes"] = time.perf_counter() - mark
    mark = time.perf_counter()
    if not postgres:
        search.install(connection)
    timings["search_index"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), MAX(id)) FROM {TABLE}")
            cursor.execute("RESET session_replication_role")
            cursor.execute(f"VACUUM ANALYZE {TABLE}")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA synchronous = NORMAL")
    timings["analyze"] = time.perf_counter() - mark
    return {**counts, "timings": {k: round(v, 1) for k, v in timings.items()}}


def _json(values: list[str]) -> str:
    import json

    return json.dumps(values, ensure_ascii=False)


def _secondary_indexes(cursor, postgres: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the publication table's indexes that back no constraint."""
    if postgres:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
            " WHERE t.relname = %s AND NOT x.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [TABLE],
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [TABLE],
        )
    return list(cursor.fetchall())
