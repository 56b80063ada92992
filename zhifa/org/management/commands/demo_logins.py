"""`manage.py demo_logins`: print one demo login per role, the shared password and the address to open."""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhifa.org.generate.demo import DEMO_PASSWORD, DEMO_USERS, SUPERUSER
from zhifa.org.models import RoleCode


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "列出演示账号（每个角色一个）及其密码和访问地址。"

    def handle(self, *args, **options) -> None:
        rows = [(str(RoleCode(role).label), username) for role, username in DEMO_USERS]
        rows.append((_("超级管理员"), SUPERUSER))
        existing = set(
            get_user_model()
            .objects.filter(username__in=[u for _r, u in rows])
            .values_list("username", flat=True)
        )
        if not existing:
            self.stdout.write(_("尚未加载演示数据：请先运行 manage.py load_demo。"))
            return
        head = (_("角色"), _("用户名"), _("密码"))
        table = [head] + [(role, username, DEMO_PASSWORD) for role, username in rows if username in existing]
        widths = [max(_width(row[i]) for row in table) for i in range(3)]
        self.stdout.write("")
        for index, row in enumerate(table):
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        port = os.environ.get("PORT", "8000")
        self.stdout.write("")
        self.stdout.write(_("访问地址：%(url)s") % {"url": f"http://127.0.0.1:{port}/"})
