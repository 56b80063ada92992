"""`manage.py generate_province`: a province-sized organisation for benchmarks (issue 2, Benchmark)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.org.generate.province import ProvinceSize, generate_province


class Command(BaseCommand):
    help = "生成省级规模的组织数据（乡镇、网格、人员、执法证），用于性能基准测试。"

    def add_arguments(self, parser) -> None:
        defaults = ProvinceSize()
        parser.add_argument("--townships", type=int, default=defaults.townships)
        parser.add_argument("--grid-cells", type=int, default=defaults.grid_cells)
        parser.add_argument("--people", type=int, default=defaults.people)
        parser.add_argument("--certificates", type=int, default=defaults.certificates)
        parser.add_argument("--code", default=defaults.code, help="two-digit province code")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        code = options["code"]
        if len(code) != 2 or not code.isdigit():
            raise CommandError(_("省级区划代码必须是两位数字。"))
        if (
            min(options["townships"], options["grid_cells"], options["people"]) < 1
            or options["certificates"] < 0
        ):
            raise CommandError(_("数量必须为正整数。"))
        size = ProvinceSize(
            townships=options["townships"],
            grid_cells=options["grid_cells"],
            people=options["people"],
            certificates=options["certificates"],
            code=code,
        )
        verbosity = options["verbosity"]

        def progress(done: int, total: int) -> None:
            if verbosity > 1 or (verbosity == 1 and (done % 10 == 0 or done == total)):
                self.stdout.write(_("已生成 %(done)d/%(total)d 个县") % {"done": done, "total": total})

        started = time.perf_counter()
        try:
            result = generate_province(size, seed=options["seed"], progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已生成：%(counties)d 个县，%(regions)d 个区划，%(cells)d 个网格，%(people)d 名人员，"
                    "%(certificates)d 本执法证，用时 %(seconds).1f 秒。"
                )
                % {
                    "counties": len(result.counties),
                    "regions": counts.get("org.region", 0),
                    "cells": counts.get("org.gridcell", 0),
                    "people": counts.get("org.person", 0),
                    "certificates": counts.get("org.certificate", 0),
                    "seconds": time.perf_counter() - started,
                }
            )
        )
