"""The holiday-table form: one line per day or range, as in the State Council notice.

Line format (blank lines and lines starting with # are ignored)::

    2027-01-01 放假 元旦
    2027-02-06..2027-02-12 放假 春节
    2027-02-14 上班 春节调休

A range may also be written with ~, ～ or 至. The status word is 放假/休息/休 (rest) or 上班/班/工作
(work); "off" and "work" are accepted too. The name is optional.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors

DayEntry = tuple[datetime.date, bool, str]

REST_WORDS = frozenset({"放假", "休息", "休", "假", "off", "rest", "holiday"})
WORK_WORDS = frozenset({"上班", "班", "工作", "工作日", "work", "workday"})
MAX_RANGE_DAYS = 31  # no holiday block comes near a month: a longer range is a typing error
_RANGE_SPLIT = re.compile(r"\.\.|~|～|至")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def _line_error(number: int, message: str) -> ServiceError:
    return ServiceError(
        ErrorCode.INVALID, _("第%(line)d行：%(problem)s") % {"line": number, "problem": message}, field="days"
    )


def _parse_date(text: str) -> datetime.date | None:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_day_lines(text: str, year: int) -> list[DayEntry]:
    """Parse the textarea into (date, is_workday, name) entries, by date.

    Raises `ValidationErrors` listing every wrong line (number and problem, in Chinese); the caller
    saves nothing then.
    """
    errors: list[ServiceError] = []
    entries: dict[datetime.date, tuple[int, bool, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 2:
            errors.append(
                _line_error(
                    number, _("应为“日期 放假/上班 名称”，如“%(year)d-01-01 放假 元旦”。") % {"year": year}
                )
            )
            continue
        span, word = parts[0], parts[1]
        name = parts[2].strip() if len(parts) > 2 else ""
        bounds = _RANGE_SPLIT.split(span)
        if len(bounds) > 2:
            errors.append(_line_error(number, _("日期区间“%(span)s”无法识别。") % {"span": span}))
            continue
        dates = [_parse_date(bound.strip()) for bound in bounds]
        bad = [bound for bound, parsed in zip(bounds, dates, strict=True) if parsed is None]
        if bad:
            errors.append(
                _line_error(
                    number, _("日期“%(date)s”无效，请写成%(year)d-02-06。") % {"date": bad[0], "year": year}
                )
            )
            continue
        first, last = dates[0], dates[-1]
        if last < first:
            errors.append(_line_error(number, _("区间的结束日期早于开始日期。")))
            continue
        if (last - first).days >= MAX_RANGE_DAYS:
            errors.append(_line_error(number, _("区间超过%(max)d天，请检查日期。") % {"max": MAX_RANGE_DAYS}))
            continue
        if first.year != year or last.year != year:
            errors.append(_line_error(number, _("日期不在%(year)d年内。") % {"year": year}))
            continue
        lowered = word.lower()
        if lowered in REST_WORDS:
            is_workday = False
        elif lowered in WORK_WORDS:
            is_workday = True
        else:
            errors.append(_line_error(number, _("“%(word)s”应为“放假”或“上班”。") % {"word": word}))
            continue
        if len(name) > 60:
            errors.append(_line_error(number, _("名称不能超过60个字。")))
            continue
        day = first
        while day <= last:
            if day in entries:
                errors.append(
                    _line_error(
                        number,
                        _("日期%(date)s与第%(other)d行重复。")
                        % {"date": day.isoformat(), "other": entries[day][0]},
                    )
                )
                break
            entries[day] = (number, is_workday, name)
            day += datetime.timedelta(days=1)
    if errors:
        raise ValidationErrors(errors)
    return [(day, is_workday, name) for day, (_number, is_workday, name) in sorted(entries.items())]


def format_day_lines(entries: Iterable[DayEntry]) -> str:
    """The textarea text for `entries`: consecutive days with the same status and name become a range."""
    lines: list[str] = []
    run: list[DayEntry] = []

    def flush() -> None:
        if not run:
            return
        first, is_workday, name = run[0]
        last = run[-1][0]
        span = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
        lines.append(" ".join(part for part in (span, "上班" if is_workday else "放假", name) if part))
        run.clear()

    for entry in sorted(entries):
        if run and (entry[0] - run[-1][0]).days == 1 and entry[1:] == run[-1][1:]:
            run.append(entry)
        else:
            flush()
            run.append(entry)
    flush()
    return "\n".join(lines)


class CalendarYearForm(forms.Form):
    """The edit form of one year's holiday table; `cleaned_data["days"]` is the parsed entry list."""

    notice = forms.CharField(
        label=gettext_lazy("通知文号"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("如：国办发明电〔2026〕x号"),
    )
    days = forms.CharField(
        label=gettext_lazy("放假与调休安排"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace", "spellcheck": "false"}),
        help_text=gettext_lazy("每行一条：日期或日期区间（用“..”连接）、“放假”或“上班”、名称。"),
    )
    complete = forms.BooleanField(
        label=gettext_lazy("已按国务院办公厅通知录入完整"),
        required=False,
        help_text=gettext_lazy("勾选后，涉及该年度的期限不再标为“暂定”。"),
    )
    updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, year: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_days(self) -> list[DayEntry]:
        try:
            return parse_day_lines(self.cleaned_data.get("days") or "", self.year)
        except ValidationErrors as exc:
            raise forms.ValidationError([error.message for error in exc.errors]) from exc

    def clean_updated_at(self) -> datetime.datetime | None:
        value = (self.cleaned_data.get("updated_at") or "").strip()
        if not value:
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            raise forms.ValidationError(_("页面数据无效，请重新打开后再录入。"))
        return parsed
