"""Benchmark: importing a 5,000-row power list (issue 3, Benchmark; zhifa/powers/services/imports.py).

On a fresh database holding the demo county's organisation (its departments are what 原实施主体 is
checked against), it writes a 5,000-row .xlsx in the published format (varied departments, power types,
bases of one to three provisions, fine ranges) and measures, three times each, the best of:

- preview: `power_items_import(commit=False)`: read the file, check every row, build the preview;
- commit: `power_items_import(commit=True)` on an empty catalogue: check again and write every item in
  one transaction with one record event (rolled back after each timed run, except the last);
- broken preview: the same file with one bad row in ten: the full per-row error report.

SQL queries of the preview are counted for 500 and for 5,000 rows; they must not grow with the rows
(codes are checked 500 at a time, so they may grow by one query per 500 rows at most).

Baseline: the form's path, one `power_item_create` per row (each row checked, inserted and recorded on
its own), timed on 500 rows and scaled to the file's size; ratio = baseline / commit.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import metric, prepare, scaled, timer, write_result

NAME = "powers_import"
ROWS = 5000
BASELINE_ROWS = 500
REPEAT = 3
SEED = 11

LAWS = (
    "中华人民共和国消防法",
    "中华人民共和国食品安全法",
    "城市市容和环境卫生管理条例",
    "中华人民共和国安全生产法",
    "中华人民共和国渔业法",
    "中华人民共和国森林法",
)
SUBJECTS = ("县市场监督管理局", "县城市管理局", "县应急管理局", "县农业农村局", "县林业局", "县水利局")


def _numeral(n: int) -> str:
    from zhifa.powers.numerals import to_chinese

    return to_chinese(n)


def build_rows(rng: random.Random, n: int, broken_every: int = 0) -> list[list[object]]:
    """`n` rows of the import's columns; with `broken_every`, every such row lacks its basis."""
    rows = []
    for i in range(1, n + 1):
        law = LAWS[i % len(LAWS)]
        refs = "；".join(
            f"《{law}》第{_numeral(rng.randint(1, 130))}条第{_numeral(rng.randint(1, 3))}款"
            f"第（{_numeral(rng.randint(1, 9))}）项"
            for _ in range(rng.randint(1, 3))
        )
        penalty = i % 5 != 0
        low = rng.choice((0, 500, 1000, 5000)) if penalty else None
        rows.append(
            [
                i,
                f"BENCH-{i:05d}",
                f"对第{i}类违法行为的行政处罚" if penalty else f"第{i}类事项的行政检查",
                "行政处罚" if penalty else "行政检查",
                "",
                "" if broken_every and i % broken_every == 0 else refs,
                SUBJECTS[i % len(SUBJECTS)],
                "全县各乡镇（街道）",
                "警告、罚款" if penalty else "",
                low if penalty else "",
                (low or 0) * 10 + 1000 if penalty else "",
                "",
                "基准",
                "",
            ]
        )
    return rows


def workbook(rows: list[list[object]]) -> bytes:
    from zhifa.core.spreadsheets import Sheet, xlsx_bytes
    from zhifa.powers.imports import COLUMNS

    return xlsx_bytes([Sheet("清单", [c.label for c in COLUMNS], rows)])


def best(run, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        with timer() as t:
            run()
        times.append(t["seconds"])
    return min(times)


def main() -> int:
    prepare(NAME)
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from zhifa.org.generate.demo import load_demo
    from zhifa.powers.models import PowerItem
    from zhifa.powers.services.imports import power_items_import
    from zhifa.powers.services.items import power_item_create

    load_demo()
    PowerItem.objects.filter(code__startswith="BENCH-").delete()
    rng = random.Random(SEED)
    n = scaled(ROWS, 100)
    good = workbook(build_rows(rng, n))
    broken = workbook(build_rows(random.Random(SEED), n, broken_every=10))
    small = workbook(build_rows(random.Random(SEED), max(1, n // 10)))
    failures: list[str] = []

    def preview(content: bytes):
        return power_items_import(actor=None, filename="bench.xlsx", content=content, commit=False)

    result = preview(good)
    if not result.ok:
        failures.append(f"generated file has errors: {[e.text for e in result.errors[:3]]}")
    preview_seconds = best(lambda: preview(good))
    broken_result = preview(broken)
    if len(broken_result.errors) != n // 10:
        failures.append(f"broken file: {len(broken_result.errors)} errors, expected {n // 10}")
    broken_seconds = best(lambda: preview(broken))

    counts = {}
    for label, content in (("small", small), ("full", good)):
        with CaptureQueriesContext(connection) as queries:
            preview(content)
        counts[label] = len(queries)
    allowed = counts["small"] + n // 500 + 1
    if counts["full"] > allowed:
        failures.append(f"preview queries grow with rows: {counts['small']} -> {counts['full']}")

    class Rollback(Exception):
        pass

    def commit_once() -> None:
        try:
            with transaction.atomic():
                done = power_items_import(actor=None, filename="bench.xlsx", content=good, commit=True)
                if not done.committed or PowerItem.objects.filter(code__startswith="BENCH-").count() != n:
                    failures.append("commit did not write every row")
                raise Rollback
        except Rollback:
            pass

    commit_seconds = best(commit_once)

    baseline_rows = min(BASELINE_ROWS, n)
    fields = build_rows(random.Random(SEED + 1), baseline_rows)

    def per_row() -> None:
        from zhifa.powers.basis import parse_basis

        try:
            with transaction.atomic():
                for row in fields:
                    power_item_create(
                        actor=None,
                        code=f"ROW-{row[0]:05d}",
                        name=row[2],
                        power_type="penalty" if row[3] == "行政处罚" else "inspection",
                        original_subject=row[6],
                        basis_text=row[5],
                        basis_refs=parse_basis(row[5]),
                        penalty_types=row[8].split("、") if row[8] else [],
                        fine_min=row[9] if row[9] != "" else None,
                        fine_max=row[10] if row[10] != "" else None,
                    )
                raise Rollback
        except Rollback:
            pass

    baseline_seconds = best(per_row, repeat=1) * n / baseline_rows
    size_kb = len(good) / 1024
    metrics = [
        metric(f"preview of {n} rows (.xlsx, {size_kb:.0f} KB)", preview_seconds, "s"),
        metric(f"commit of {n} rows", commit_seconds, "s", baseline_seconds),
        metric(f"preview of {n} rows, 1 in 10 broken (full error report)", broken_seconds, "s"),
        metric("preview rows per second", n / preview_seconds, "rows/s"),
        metric(f"preview SQL queries, {max(1, n // 10)} rows", counts["small"], "queries"),
        metric(f"preview SQL queries, {n} rows", counts["full"], "queries"),
    ]
    # The ratio of the commit is baseline / commit (how many times faster than one call per row).
    metrics[1]["ratio"] = baseline_seconds / commit_seconds
    write_result(NAME, metrics)
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
