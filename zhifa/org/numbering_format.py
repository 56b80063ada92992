"""The document number (文号) template language: pure functions, no database.

A template is plain text with three placeholders: ``{agency}`` (the agency's short name, 简称),
``{year}`` (four digits) and ``{seq}`` (the sequence number). Example:
``{agency}罚决字〔{year}〕第{seq}号`` renders as 某综执罚决字〔2026〕第12号.

Format rules (GB/T 9704-2012 §7.2.4, 发文字号): the year is written in full and enclosed in
hexagonal brackets 〔〕 (not （）, [] or 【】), and the sequence number has no leading zeros
(1, not 01). Provinces differ in the type word (罚决字, 罚字, 处罚决定字...) and in the agency
abbreviation, which is why the template is set per agency and document type.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import ErrorCode, ServiceError

PLACEHOLDERS = ("agency", "year", "seq")
REQUIRED_PLACEHOLDERS = ("year", "seq")
TEMPLATE_MAX_LENGTH = 120  # NumberTemplate.template
YEAR_IN_BRACKETS = "〔{year}〕"

# Used when an agency has no template of its own for a document type.
DEFAULT_TEMPLATES: dict[str, str] = {
    "penalty_decision": "{agency}罚决字〔{year}〕第{seq}号",  # 行政处罚决定书 (APL Art. 59)
    "notice_of_intended_penalty": "{agency}罚告字〔{year}〕第{seq}号",  # 行政处罚事先告知书 (APL Art. 44)
    "filing": "{agency}立字〔{year}〕第{seq}号",  # 立案审批表 (APL Art. 54)
    "on_the_spot": "{agency}当罚字〔{year}〕第{seq}号",  # 当场处罚决定书 (APL Art. 52)
    "rectification_order": "{agency}责改字〔{year}〕第{seq}号",  # 责令改正通知书 (APL Art. 28)
    "seizure_decision": "{agency}强制字〔{year}〕第{seq}号",  # 查封扣押决定书 (ACL Art. 24)
    "no_penalty_decision": "{agency}不罚决字〔{year}〕第{seq}号",  # 不予行政处罚决定书 (APL Art. 33, 57)
    "hearing_notice": "{agency}听通字〔{year}〕第{seq}号",  # 听证通知书 (APL Art. 64)
    "reminder_letter": "{agency}提示字〔{year}〕第{seq}号",  # 行政执法提示函
    "transfer_letter": "{agency}移字〔{year}〕第{seq}号",  # 案件移送函 (APL Art. 22-25, 27)
    "enforcement_reminder": "{agency}催字〔{year}〕第{seq}号",  # 催告书 (ACL Art. 35)
    "closing_approval": "{agency}结字〔{year}〕第{seq}号",  # 结案审批表 (APL Art. 47)
}
FALLBACK_TEMPLATE = "{agency}〔{year}〕第{seq}号"

# The document types with a number, as the templates page lists them.
DOC_TYPE_LABELS: dict[str, str] = {
    "filing": gettext_lazy("立案审批表"),
    "notice_of_intended_penalty": gettext_lazy("行政处罚事先告知书"),
    "penalty_decision": gettext_lazy("行政处罚决定书"),
    "on_the_spot": gettext_lazy("当场行政处罚决定书"),
    "rectification_order": gettext_lazy("责令改正通知书"),
    "seizure_decision": gettext_lazy("查封（扣押）决定书"),
    "no_penalty_decision": gettext_lazy("不予行政处罚决定书"),
    "hearing_notice": gettext_lazy("听证通知书"),
    "reminder_letter": gettext_lazy("行政执法提示函"),
    "transfer_letter": gettext_lazy("案件移送函"),
    "enforcement_reminder": gettext_lazy("催告书"),
    "closing_approval": gettext_lazy("结案审批表"),
}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def default_template(doc_type: str) -> str:
    """The template used for `doc_type` when the agency has set none."""
    return DEFAULT_TEMPLATES.get(doc_type, FALLBACK_TEMPLATE)


def _invalid(message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field="template")


def _placeholder_names(text: str) -> list[str]:
    """The names inside braces, in order; raises for a brace that does not open or close a placeholder."""
    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        raise _invalid(_("文号模板中的花括号不成对：每个“{”都要有对应的“}”，且不能嵌套。"))
    return _PLACEHOLDER.findall(text)


def validate_template(text: str) -> str:
    """Check a template and return it stripped of surrounding spaces; raise ServiceError(field="template").

    Allowed placeholders are {agency}, {year} and {seq}; {year} and {seq} are required, each at most
    once, and the year must be written as 〔{year}〕.
    """
    text = (text or "").strip()
    if not text:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写文号模板。"), field="template")
    if len(text) > TEMPLATE_MAX_LENGTH:
        raise _invalid(_("文号模板不能超过%(limit)d个字符。") % {"limit": TEMPLATE_MAX_LENGTH})
    names = _placeholder_names(text)
    unknown = [name for name in names if name not in PLACEHOLDERS]
    if unknown:
        raise _invalid(
            _("文号模板中有未知的占位符：%(names)s。只能使用 %(allowed)s。")
            % {
                "names": "、".join("{" + name + "}" for name in dict.fromkeys(unknown)),
                "allowed": _("{agency}（主体简称）、{year}（年份）、{seq}（序号）"),
            }
        )
    for name in REQUIRED_PLACEHOLDERS:
        count = names.count(name)
        if count == 0:
            label = _("年份") if name == "year" else _("序号")
            raise _invalid(_("文号模板必须包含%(label)s占位符 {%(name)s}。") % {"label": label, "name": name})
        if count > 1:
            raise _invalid(_("文号模板中的占位符 {%(name)s} 只能出现一次。") % {"name": name})
    # GB/T 9704-2012 §7.2.4: the year of a document number is enclosed in 六角括号〔〕.
    if YEAR_IN_BRACKETS not in text:
        raise _invalid(_("文号中的年份须用六角括号括起，写作〔{year}〕（不能用（）、[]或【】）。"))
    return text


def render_number(template: str, agency_short: str, year: int, seq: int) -> str:
    """The document number from a valid template, e.g. 某综执罚决字〔2026〕第12号.

    The sequence number is written without leading zeros (GB/T 9704-2012 §7.2.4: 1, not 01).
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"year must be a four-digit integer, got {year!r}")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"seq must be a positive integer, got {seq!r}")
    values = {"agency": agency_short.strip(), "year": str(year), "seq": str(seq)}
    # Substitute by pattern rather than str.format, so no attribute access or format spec is ever run.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], validate_template(template))
