"""`manage.py load_power_catalog`: import the built-in catalogue of power items (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.core.errors import ServiceError
from zhifa.powers.catalog import CATALOG_PATH, CatalogLoadError, load_power_catalog


class Command(BaseCommand):
    help = "导入内置的行政执法事项目录（可重复运行，已有的事项编码不再导入）；需先建立县直部门。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", default=str(CATALOG_PATH), help="CSV 文件路径（默认为内置目录）")

    def handle(self, *args, **options) -> None:
        try:
            result = load_power_catalog(options["path"])
        except CatalogLoadError as exc:
            for error in exc.errors[:20]:
                self.stderr.write(error.text)
            raise CommandError(_("目录未导入：共 %(n)d 处错误。") % {"n": len(exc.errors)}) from exc
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        if not result["created"]:
            self.stdout.write(
                _("行政执法事项目录已导入（%(n)d 项），未做任何改动。") % {"n": result["existing"]}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("已导入 %(created)d 项行政执法事项（目录共 %(total)d 项，原有 %(existing)d 项）。") % result
            )
        )
