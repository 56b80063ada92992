"""`manage.py load_demo`: the demo county from a fixed seed (idempotent: a second run changes nothing)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhifa.org.generate.demo import DEMO_ADCODE, DEMO_NAME, load_demo
from zhifa.org.models import Region


class Command(BaseCommand):
    help = "生成演示县（固定随机种子，可重复运行：已存在时不做任何改动）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--without-cases",
            action="store_true",
            help="不生成演示案件（案件文书的PDF生成较慢，约需半分钟）。",
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        result = load_demo()
        if not result.created:
            self.stdout.write(
                _("演示县 %(name)s（%(adcode)s）已存在，未做任何改动。")
                % {"name": DEMO_NAME, "adcode": DEMO_ADCODE}
            )
        else:
            self._report(result, started)
        self._load_powers()
        self._load_intake()
        self._load_inspections()
        if not options.get("without_cases"):
            self._load_cases()
            self._load_disclosure()

    def _load_powers(self) -> None:
        """The powers demo (catalogue, guidance list, grant list versions, claims); idempotent too."""
        from zhifa.powers.demo import load_power_demo  # org must not import powers at module level

        started = time.perf_counter()
        powers = load_power_demo(Region.objects.get(adcode=DEMO_ADCODE))
        if not powers.created:
            return
        counts = powers.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已生成演示县的执法事项：%(items)d 项事项，%(lists)d 个赋权清单版本，"
                    "%(entries)d 条赋权记录，%(claims)d 项认领，%(ratings)d 项承接能力自评，"
                    "用时 %(seconds).1f 秒。"
                )
                % {
                    "items": counts.get("powers.poweritem", 0),
                    "lists": counts.get("powers.grantlist", 0),
                    "entries": counts.get("powers.grantentry", 0),
                    "claims": counts.get("powers.claim", 0),
                    "ratings": counts.get("powers.capacityrating", 0),
                    "seconds": time.perf_counter() - started,
                }
            )
        )

    def _load_intake(self) -> None:
        """The intake demo (categories, time limits, 40 clues round the loop); nothing if it has clues."""
        from zhifa.intake.demo import load_intake_demo  # org must not import intake at module level

        started = time.perf_counter()
        intake = load_intake_demo(Region.objects.get(adcode=DEMO_ADCODE))
        if not intake.created:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("已生成演示县的线索：%(clues)d 条（覆盖办理闭环各环节），用时 %(seconds).1f 秒。")
                % {"clues": intake.counts.get("intake.clue", 0), "seconds": time.perf_counter() - started}
            )
        )

    def _load_cases(self) -> None:
        """The cases demo (the seeds' cases and cases at every stage); nothing if the county has cases."""
        from zhifa.cases.demo import load_cases_demo  # org must not import cases at module level

        started = time.perf_counter()
        cases = load_cases_demo(Region.objects.get(adcode=DEMO_ADCODE))
        if not cases.created:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("已生成演示县的案件：%(cases)d 件（含文书 %(documents)d 份），用时 %(seconds).1f 秒。")
                % {
                    "cases": cases.counts.get("cases.case", 0),
                    "documents": cases.counts.get("cases.casedocument", 0),
                    "seconds": time.perf_counter() - started,
                }
            )
        )

    def _load_disclosure(self) -> None:
        """The disclosure demo (decided cases published, one withdrawn); nothing if it has publications."""
        # org never imports disclosure at module level
        from zhifa.disclosure.demo import load_disclosure_demo

        result = load_disclosure_demo(Region.objects.get(adcode=DEMO_ADCODE))
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    _("已公示演示县的执法决定：%(published)d 件（其中撤回 %(withdrawn)d 件）。")
                    % {
                        "published": result.counts.get("published", 0),
                        "withdrawn": result.counts.get("withdrawn", 0),
                    }
                )
            )

    def _load_inspections(self) -> None:
        """The inspections demo (catalogue, subjects, a draw, a plan, visits); nothing if it has subjects."""
        from zhifa.inspections.demo import (
            load_inspection_demo,
        )  # org never imports inspections at module level

        started = time.perf_counter()
        result = load_inspection_demo(Region.objects.get(adcode=DEMO_ADCODE))
        if not result.created:
            return
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已生成演示县的检查：%(items)d 个检查事项，%(scenarios)d 个检查场景，"
                    "%(subjects)d 个检查对象，%(visits)d 次检查，用时 %(seconds).1f 秒。"
                )
                % {
                    "items": counts.get("items", 0),
                    "scenarios": counts.get("scenarios", 0),
                    "subjects": counts.get("subjects", 0),
                    "visits": counts.get("visits", 0),
                    "seconds": time.perf_counter() - started,
                }
            )
        )

    def _report(self, result, started: float) -> None:
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已生成演示县 %(name)s（%(adcode)s）：%(regions)d 个区划，%(people)d 名人员，"
                    "%(certificates)d 本执法证，%(cells)d 个网格，用时 %(seconds).1f 秒。"
                )
                % {
                    "name": DEMO_NAME,
                    "adcode": DEMO_ADCODE,
                    "regions": counts.get("org.region", 0),
                    "people": counts.get("org.person", 0),
                    "certificates": counts.get("org.certificate", 0),
                    "cells": counts.get("org.gridcell", 0),
                    "seconds": time.perf_counter() - started,
                }
            )
        )
