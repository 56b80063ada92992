"""People import: the columns, and the validation of every row before anything is written.

Every reference (agency, team, command centre, work region) is looked up among what the importer may
read (org.scoping.visible): another county's agency is "not found", exactly like a misspelt one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhifa.org.accounts import USERNAME, USERNAME_MAX, password_problem
from zhifa.org.imports.common import Column, ErrorReport, Table, chunks, split_list
from zhifa.org.models import Agency, AgencyKind, CommandCenter, Person, PersonStatus, Region, RoleCode, Team
from zhifa.org.scoping import visible

COLUMNS: tuple[Column, ...] = (
    Column(
        "username",
        N_("用户名"),
        ("username", "user", "账号", "登录名"),
        required=True,
        help=N_("必填，唯一；字母、数字及 . _ -"),
    ),
    Column("name", N_("姓名"), ("name", "full name"), required=True, help=N_("必填")),
    Column("phone", N_("手机"), ("phone", "mobile", "手机号", "手机号码"), help=N_("选填，11位手机号码")),
    Column("agency", N_("执法主体"), ("agency",), help=N_("执法主体全称或简称；未填指挥中心时必填")),
    Column("team", N_("执法队伍"), ("team",), help=N_("选填，须属于该执法主体")),
    Column("command_center", N_("指挥中心"), ("command center", "command_center"), help=N_("选填")),
    Column(
        "region",
        N_("工作区划代码"),
        ("region", "region code", "adcode", "区划代码"),
        help=N_("选填，12位区划代码；默认为执法主体所在区划"),
    ),
    Column("roles", N_("角色"), ("roles", "role"), help=N_("多个角色用顿号或逗号分隔")),
    Column("status", N_("状态"), ("status",), help=N_("在岗、已调离或已退休；默认在岗")),
    Column(
        "password",
        N_("初始密码"),
        ("password", "初始口令"),
        help=N_("选填；留空则账号不能登录，须由管理员重置密码"),
    ),
)

NAME_MAX = Person._meta.get_field("name").max_length
MOBILE = re.compile(r"^1\d{10}$")
ADCODE = re.compile(r"^\d{12}$")

# Titles used in offices for the same role (GLOSSARY: team leader = 大队长/中队长).
ROLE_ALIASES = {
    "大队长": RoleCode.TEAM_LEADER,
    "中队长": RoleCode.TEAM_LEADER,
    "执法队长": RoleCode.TEAM_LEADER,
    "调度员": RoleCode.DISPATCHER,
    "指挥中心": RoleCode.DISPATCHER,
    "管理员": RoleCode.ADMIN,
    "法制审核": RoleCode.LEGAL_REVIEWER,
    "执法员": RoleCode.OFFICER,
}
STATUS_NAMES = {
    "在岗": PersonStatus.ACTIVE,
    "已调离": PersonStatus.TRANSFERRED,
    "调离": PersonStatus.TRANSFERRED,
    "已退休": PersonStatus.RETIRED,
    "退休": PersonStatus.RETIRED,
}


@dataclass
class PersonRow:
    """A validated row, ready to be written."""

    row: int
    username: str
    name: str
    phone: str
    region: Region
    agency: Agency | None
    team: Team | None
    command_center: CommandCenter | None
    roles: list[str] = field(default_factory=list)
    status: str = PersonStatus.ACTIVE
    password: str = ""


def role_lookup() -> dict[str, str]:
    """Role names (Chinese label, English label, code, office titles) -> role code."""
    names: dict[str, str] = {}
    for code in RoleCode:
        names[str(code.value).lower()] = code.value
        names[str(code.label)] = code.value
        names[_(str(code.label)).lower()] = code.value
    for alias, code in ROLE_ALIASES.items():
        names.setdefault(alias, code.value)
    return names


def status_lookup() -> dict[str, str]:
    names = {str(s.value): s.value for s in PersonStatus}
    names.update({str(s.label): s.value for s in PersonStatus})
    names.update({_(str(s.label)).lower(): s.value for s in PersonStatus})
    names.update({k: v.value for k, v in STATUS_NAMES.items()})
    return names


def _group(items: list[Any], key) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return grouped


class _References:
    """What the importer may reference, loaded once per file (a handful of queries, not one per row)."""

    def __init__(self, actor: Any, table: Table) -> None:
        agencies = list(visible(Agency.objects.select_related("region"), actor))
        self.agency_by_name = _group(agencies, lambda a: a.name)
        self.agency_by_short = _group(agencies, lambda a: a.short_name)
        teams = visible(Team.objects.filter(agency__in=agencies), actor)
        self.teams = _group(list(teams), lambda t: f"{t.agency_id}:{t.name}")
        centers = visible(CommandCenter.objects.select_related("region"), actor)
        self.centers = _group(list(centers), lambda c: c.name)
        codes = sorted({values.get("region", "") for _n, values in table.rows} - {""})
        self.regions: dict[str, Region] = {}
        for part in chunks(codes):
            self.regions.update({r.adcode: r for r in visible(Region.objects.filter(adcode__in=part), actor)})
        names = sorted({values.get("username", "").lower() for _n, values in table.rows} - {""})
        self.taken: set[str] = set()
        users = get_user_model().objects.annotate(lower_name=Lower("username"))
        for part in chunks(names):
            self.taken.update(users.filter(lower_name__in=part).values_list("lower_name", flat=True))

    def agency(self, text: str) -> tuple[Agency | None, str]:
        """The agency named `text` (full name first, then short name), or None and why."""
        found = self.agency_by_name.get(text) or self.agency_by_short.get(text) or []
        if not found:
            return None, _("未找到执法主体“%(name)s”") % {"name": text}
        if len(found) > 1:
            return None, _("执法主体“%(name)s”不唯一，请填写全称") % {"name": text}
        if not found[0].is_active:
            return None, _("执法主体“%(name)s”已停用") % {"name": text}
        return found[0], ""


def validate_people(actor: Any, table: Table) -> tuple[list[PersonRow], ErrorReport]:
    """Check every row of a people table; returns the rows ready to write and the errors found."""
    refs = _References(actor, table)
    roles_by_name = role_lookup()
    statuses = status_lookup()
    report = ErrorReport()
    valid: list[PersonRow] = []
    first_row_of: dict[str, int] = {}
    for number, values in table.rows:
        before = len(report.errors)

        def error(key: str, message: str, number: int = number) -> None:
            report.add(number, table.label(key), message)

        username = values.get("username", "")
        if not username:
            error("username", _("不能为空"))
        elif len(username) > USERNAME_MAX or not USERNAME.match(username):
            error("username", _("只能包含字母、数字及 . _ -，最长%(n)d个字符") % {"n": USERNAME_MAX})
        elif username.lower() in first_row_of:
            error("username", _("与第%(row)d行重复") % {"row": first_row_of[username.lower()]})
        elif username.lower() in refs.taken:
            error("username", _("用户名“%(name)s”已存在") % {"name": username})
        if username:
            first_row_of.setdefault(username.lower(), number)

        name = values.get("name", "")
        if not name:
            error("name", _("不能为空"))
        elif len(name) > NAME_MAX:
            error("name", _("最长%(n)d个字符") % {"n": NAME_MAX})

        phone = re.sub(r"[\s-]", "", values.get("phone", ""))
        if phone and not MOBILE.match(phone):
            error("phone", _("应为11位手机号码"))

        agency = None
        agency_text = values.get("agency", "")
        if agency_text:
            agency, problem = refs.agency(agency_text)
            if problem:
                error("agency", problem)

        center = None
        center_text = values.get("command_center", "")
        if center_text:
            found = refs.centers.get(center_text, [])
            if len(found) == 1:
                center = found[0]
            else:
                error(
                    "command_center",
                    _("未找到指挥中心“%(name)s”") % {"name": center_text}
                    if not found
                    else _("指挥中心“%(name)s”不唯一") % {"name": center_text},
                )
        if not agency_text and not center_text:
            error("agency", _("执法主体和指挥中心至少填写一项"))

        team = None
        team_text = values.get("team", "")
        if team_text:
            if agency is None:
                if not agency_text:
                    error("team", _("填写执法队伍时须同时填写执法主体"))
            else:
                found = refs.teams.get(f"{agency.pk}:{team_text}", [])
                if len(found) == 1:
                    team = found[0]
                else:
                    error(
                        "team",
                        _("执法主体“%(agency)s”下未找到队伍“%(team)s”")
                        % {"agency": agency.name, "team": team_text}
                        if not found
                        else _("队伍“%(team)s”不唯一") % {"team": team_text},
                    )

        region = None
        code = values.get("region", "")
        if code:
            if not ADCODE.match(code):
                error("region", _("应为12位数字的区划代码"))
            elif code not in refs.regions:
                error("region", _("未找到区划代码“%(code)s”") % {"code": code})
            else:
                region = refs.regions[code]
        elif agency is not None:
            region = agency.region
        elif center is not None:
            region = center.region

        roles: list[str] = []
        for part in split_list(values.get("roles", "")):
            role = roles_by_name.get(part) or roles_by_name.get(part.lower())
            if role is None:
                error("roles", _("未知角色“%(role)s”") % {"role": part})
            elif role not in roles:
                roles.append(role)

        status = PersonStatus.ACTIVE
        status_text = values.get("status", "")
        if status_text:
            status = statuses.get(status_text) or statuses.get(status_text.lower())
            if status is None:
                error("status", _("应为在岗、已调离或已退休"))

        password = values.get("password", "")
        if password and (problem := password_problem(password, username)):
            error("password", problem)

        if len(report.errors) == before and region is not None:
            valid.append(
                PersonRow(
                    row=number,
                    username=username,
                    name=name,
                    phone=phone,
                    region=region,
                    agency=agency,
                    team=team,
                    command_center=center,
                    roles=roles,
                    status=status,
                    password=password,
                )
            )
    return valid, report


def template_workbook(actor: Any) -> bytes:
    """An .xlsx with the headers and one example row drawn from the importer's own county."""
    import openpyxl
    from openpyxl.styles import Font

    agency = visible(
        Agency.objects.filter(kind=AgencyKind.TOWNSHIP_GOVERNMENT, is_active=True), actor
    ).first()
    team = visible(Team.objects.filter(agency=agency), actor).first() if agency else None
    example = {
        "username": "zhangsan",
        "name": _("张三"),
        "phone": "13800138000",
        "agency": agency.name if agency else _("某某镇人民政府"),
        "team": team.name if team else "",
        "command_center": "",
        "region": agency.region.adcode if agency else "",
        "roles": "、".join([str(RoleCode.OFFICER.label), str(RoleCode.TEAM_LEADER.label)]),
        "status": str(PersonStatus.ACTIVE.label),
        "password": "",
    }
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("人员")
    sheet.append([_(c.label) for c in COLUMNS])
    sheet.append([example[c.key] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = 24 if column.key in ("agency", "team", "region") else 14
        # Phone numbers and codes must stay text, or Excel shows 1.38E+10 and drops leading zeros.
        for row in range(2, 201):
            sheet[f"{letter}{row}"].number_format = "@"
    notes = workbook.create_sheet(_("说明"))
    notes.append([_("列"), _("说明")])
    for column in COLUMNS:
        notes.append([_(column.label), _(column.help)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
