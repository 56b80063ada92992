"""Power item lists in the format governments publish them (issue 3, point 2): columns and row checks.

Published lists (赋予乡镇（街道）行政执法事项清单) carry 序号, 事项名称, 职权类型, 实施依据, 原实施主体,
赋予对象, 备注; Zhifa's own export adds 事项编码, 执法领域 and, for penalties, the statutory range, so
an exported file imports back unchanged. Each row is checked like the item form
(services.items.power_item_problems), plus what only a file can get wrong: a code twice in the file,
an original subject that is no department we know, a basis in which no provision can be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhifa.org.imports.common import Column, ErrorReport, Table, chunks, split_list
from zhifa.org.models import Department, EnforcementDomain
from zhifa.powers.basis import parse_basis
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.services.items import PENALTY_TYPES, power_item_problems

COLUMNS: tuple[Column, ...] = (
    Column("seq", N_("序号"), ("no", "no.", "seq", "编号")),
    Column("code", N_("事项编码"), ("code", "编码", "事项代码"), required=True, help=N_("必填，唯一")),
    Column("name", N_("事项名称"), ("name", "名称", "事项"), required=True, help=N_("必填")),
    Column(
        "power_type",
        N_("职权类型"),
        ("type", "power type", "权力类型", "事项类型"),
        required=True,
        help=N_("必填：行政处罚、行政强制、行政检查等"),
    ),
    Column("domain", N_("执法领域"), ("domain", "领域"), help=N_("选填；留空时按原实施主体的执法领域")),
    Column(
        "basis_text",
        N_("实施依据"),
        ("basis", "法律依据", "设定依据", "依据"),
        required=True,
        help=N_("必填，如《中华人民共和国消防法》第六十条第一款第（一）项"),
    ),
    Column(
        "original_subject",
        N_("原实施主体"),
        ("department", "original subject", "实施主体", "原实施部门"),
        required=True,
        help=N_("必填，县直部门名称，如县市场监督管理局"),
    ),
    Column("granted_to", N_("赋予对象"), ("granted to", "承接主体"), help=N_("发布时填写，导入事项时不使用")),
    Column("penalty_types", N_("处罚种类"), ("penalty types",), help=N_("行政处罚事项填写，用顿号分隔")),
    Column("fine_min", N_("罚款下限"), ("fine min", "罚款下限（元）"), help=N_("元")),
    Column("fine_max", N_("罚款上限"), ("fine max", "罚款上限（元）"), help=N_("元")),
    Column(
        "fine_formula",
        N_("罚款计算方式"),
        ("fine formula", "罚款倍数"),
        help=N_("如违法所得一倍以上三倍以下"),
    ),
    Column("keywords", N_("关键词"), ("keywords",), help=N_("选填，用顿号分隔")),
    Column("note", N_("备注"), ("note", "remark", "说明"), help=N_("选填")),
)

# The columns of the published format, in the order lists print them (export of a grant list).
PUBLISHED_KEYS = ("seq", "name", "power_type", "basis_text", "original_subject", "granted_to", "note")

# Form field -> import column: a problem the item rules report on a field is shown under its column.
FIELD_COLUMNS = {"basis_refs": "basis_text", "is_active": "note"}

# How lists write the county level in front of a department: 县市场监督管理局, 县级消防救援机构, 区…
_LEVEL_PREFIX = re.compile(r"^(?:县（市、区）|县（区）|县\(区\)|县级|区级|市级|县|区|市)")


def normalise_subject(text: str) -> str:
    """A department name without the county's name or level in front, and without spaces."""
    return _LEVEL_PREFIX.sub("", re.sub(r"\s+", "", text or ""))


@dataclass
class Lookups:
    """What rows are checked against, read once for the whole file (not per row)."""

    power_types: dict[str, str]
    domains: dict[str, EnforcementDomain]
    departments: dict[str, list[EnforcementDomain]]

    @classmethod
    def load(cls) -> Lookups:
        power_types: dict[str, str] = {}
        for value, label in PowerType.choices:
            for name in (value, str(label), str(label).removeprefix("行政"), _(str(label))):
                power_types[name.lower()] = value
        domains: dict[str, EnforcementDomain] = {}
        for domain in EnforcementDomain.objects.all():
            domains[domain.code.lower()] = domain
            domains[domain.name] = domain
        departments: dict[str, list[EnforcementDomain]] = {}
        for department in Department.objects.select_related("region").prefetch_related("domains"):
            short = department.name.removeprefix(department.region.name)
            for name in (department.name, short, normalise_subject(short)):
                departments.setdefault(name, list(department.domains.all()))
        return cls(power_types=power_types, domains=domains, departments=departments)

    def department_domains(self, subject: str) -> list[EnforcementDomain] | None:
        """The domains of the department `subject` names; None when it names no department we know."""
        for name in (subject, normalise_subject(subject)):
            if name in self.departments:
                return self.departments[name]
        return None


def _unquote(text: str) -> str:
    """Undo the export's formula guard (zhifa.core.spreadsheets): '=x was written for =x."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def _penalty_types(text: str) -> tuple[list[str], list[str]]:
    names = split_list(text)
    return [n for n in names if n in PENALTY_TYPES], [n for n in names if n not in PENALTY_TYPES]


def validate_items(table: Table) -> tuple[list[dict[str, Any]], ErrorReport]:
    """Check every row; returns the cleaned item fields (only meaningful without errors) and the report."""
    lookups = Lookups.load()
    report = ErrorReport()
    first_row: dict[str, int] = {}
    cleaned_rows: list[dict[str, Any]] = []
    for number, values in table.rows:

        def error(key: str, message: str, number: int = number) -> None:
            report.add(number, table.label(key), message)

        values = {key: _unquote(value) for key, value in values.items()}
        data: dict[str, Any] = {
            key: values.get(key, "")
            for key in ("code", "name", "basis_text", "original_subject", "fine_formula", "keywords", "note")
        }
        data["keywords"] = "、".join(split_list(data["keywords"]))
        type_text = values.get("power_type", "")
        data["power_type"] = lookups.power_types.get(type_text.lower(), type_text or "")
        if type_text and type_text.lower() not in lookups.power_types:
            error("power_type", _("职权类型“%(value)s”无法识别") % {"value": type_text})
        elif not type_text:
            error("power_type", _("职权类型不能为空"))
        subject = data["original_subject"]
        subject_domains = lookups.department_domains(subject) if subject else None
        if subject and subject_domains is None:
            error("original_subject", _("原实施主体“%(value)s”不是已登记的部门") % {"value": subject})
        domain_text = values.get("domain", "")
        domain = lookups.domains.get(domain_text) or lookups.domains.get(domain_text.lower())
        if domain_text and domain is None:
            error("domain", _("执法领域“%(value)s”不存在") % {"value": domain_text})
        if not domain_text and subject_domains and len(subject_domains) == 1:
            domain = subject_domains[0]  # the department's only domain is the item's
        data["domain"] = domain
        data["basis_refs"] = parse_basis(data["basis_text"])
        if data["basis_text"] and not data["basis_refs"]:
            error(
                "basis_text",
                _("未能识别出法律条款，应写作《法律名称》第X条（第X款第（X）项）"),
            )
        known, unknown = _penalty_types(values.get("penalty_types", ""))
        if unknown:
            error("penalty_types", _("处罚种类无法识别：%(names)s") % {"names": "、".join(unknown)})
        data["penalty_types"] = known
        data["fine_min"] = values.get("fine_min", "")
        data["fine_max"] = values.get("fine_max", "")
        cleaned, problems = power_item_problems(data, check_code_taken=False)
        for problem in problems:
            key = FIELD_COLUMNS.get(problem.field or "", problem.field or "")
            if key in ("power_type", "domain") or (key == "penalty_types" and unknown):
                continue  # already reported above, with the value the user wrote
            error(key, problem.message)
        code = cleaned["code"]
        if code:
            if code in first_row:
                duplicate = {"code": code, "row": first_row[code]}
                error("code", _("事项编码“%(code)s”与第%(row)d行重复") % duplicate)
            else:
                first_row[code] = number
        cleaned_rows.append(cleaned)
    _check_taken_codes(table, first_row, report)
    return cleaned_rows, report


def _check_taken_codes(table: Table, first_row: dict[str, int], report: ErrorReport) -> None:
    """Codes already in the catalogue (one query per 500 codes, not one per row)."""
    taken: set[str] = set()
    for part in chunks(list(first_row)):
        taken.update(PowerItem.objects.filter(code__in=part).values_list("code", flat=True))
    for code in sorted(taken, key=first_row.__getitem__):
        report.add(first_row[code], table.label("code"), _("事项编码“%(code)s”已存在") % {"code": code})
