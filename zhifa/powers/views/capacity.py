"""Capacity assessment pages (承接能力评估): the rounds of a county, starting one, the report with its
filters and proposals, a township's rating form and the xlsx export.

APL Art. 24 (periodic evaluation of the powers handed to townships); seeds 000 and 004. Reads through
powers.selectors.capacity (org.scoping.visible: another county's round is a 404, a township sees its own
rows); writes through powers.services.capacity; who may act is decided by powers.policies.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.spreadsheets import XLSX_TYPE, Sheet, xlsx_bytes
from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.org.models import Region, RegionLevel
from zhifa.org.scoping import get_visible_or_404, person_of
from zhifa.powers.models import GrantList, Judgement, PowerItem, Proposal, SelfRating
from zhifa.powers.policies import can_act_for_county, can_act_for_township
from zhifa.powers.selectors import capacity as sel
from zhifa.powers.selectors.grants import township_of_county_or_404
from zhifa.powers.services import capacity as services

FILTERS = ("township", "domain", "judgement", "exercised")
PAGE_SIZE = 100


class StartForm(StyledForm):
    title = forms.CharField(label=gettext_lazy("评估名称"), max_length=200)
    grant_list = forms.ModelChoiceField(
        label=gettext_lazy("评估的赋权清单"), queryset=GrantList.objects.none()
    )
    period_start = forms.DateField(label=gettext_lazy("评估期起"), widget=DateInput)
    period_end = forms.DateField(label=gettext_lazy("评估期止"), widget=DateInput)

    def __init__(self, *args: Any, versions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if versions is not None:
            self.fields["grant_list"].queryset = versions
            self.fields["grant_list"].empty_label = None


def _own_region(request: HttpRequest) -> Region | None:
    person = person_of(request.user)
    return getattr(person, "region", None)


@login_required
def capacity_index(request: HttpRequest) -> HttpResponse:
    """The rounds of the user's county; county roles may start one, township roles rate theirs."""
    rounds = list(sel.assessments_visible(request.user))
    region = _own_region(request)
    own_township = region if region is not None and region.is_township_level else None
    counties: dict[int, dict[str, Any]] = {}
    for assessment in rounds:
        group = counties.setdefault(assessment.county_id, {"county": assessment.county, "rounds": []})
        group["rounds"].append(assessment)
    startable = region if region is not None and region.level == RegionLevel.COUNTY else None
    if startable is not None and not can_act_for_county(request.user, startable):
        startable = None
    if startable is not None and any(a.is_drafting for a in counties.get(startable.pk, {}).get("rounds", [])):
        startable = None  # one round at a time per county
    can_rate = own_township is not None and can_act_for_township(request.user, own_township)
    context = {
        "counties": counties.values(),
        "startable": startable,
        "rate_township": own_township if can_rate else None,
    }
    return render(request, "powers/capacity_index.html", context)


@login_required
def capacity_start(request: HttpRequest, adcode: str) -> HttpResponse:
    """发起评估: a county-wide role starts a round over a published version and a period."""
    county = get_visible_or_404(Region.objects.all(), request.user, adcode=adcode, level=RegionLevel.COUNTY)
    if not can_act_for_county(request.user, county):
        raise PermissionDenied
    versions = sel.assessable_versions(county)
    today = timezone.localdate()
    initial = {
        "title": _("%(year)d年度赋权事项承接能力评估") % {"year": today.year},
        "grant_list": versions.first(),
        "period_start": datetime.date(today.year, 1, 1),
        "period_end": today,
    }
    form = StartForm(request.POST or None, initial=initial, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.capacity_assessment_start(
                actor=request.user, county=county, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已发起“%(title)s”，请各乡镇（街道）自评。") % {"title": assessment})
            return redirect("capacity-detail", pk=assessment.pk)
    context = {"form": form, "county": county, "has_versions": versions.exists()}
    return render(request, "powers/capacity_start.html", context)


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip()[:40] for name in FILTERS}


@login_required
def capacity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: seed 004's headline, by domain, by township, never-exercised items, proposals, and
    the detail table with its filters (proposals are edited inline by county roles while drafting)."""
    assessment = sel.assessment_detail(request.user, pk)
    report = sel.capacity_report(request.user, assessment)
    filters = _filters(request)
    rows = sel.filter_rows(report.rows, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    county_actor = can_act_for_county(request.user, assessment.county)
    drafting = assessment.is_drafting
    domains = {(r.item.domain.code, r.item.domain.name) for r in report.rows if r.item.domain}
    context = {
        "assessment": assessment,
        "report": report,
        "page": page,
        "filters": filters,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        "township_options": [t for t, _tally in report.townships],
        "domain_options": sorted(domains),
        "judgement_options": [*Judgement.choices, ("unrated", _("未自评"))],
        "proposal_options": Proposal.choices,
        "can_propose": county_actor and drafting,
        "can_conclude": county_actor and drafting,
        "rate_townships": {
            t.adcode for t, _tally in report.townships if drafting and can_act_for_township(request.user, t)
        },
        "min_certified": sel.MIN_CERTIFIED_OFFICERS,
    }
    template = "powers/capacity_detail.html#rows" if request.htmx else "powers/capacity_detail.html"
    return render(request, template, context)


def _back(pk: int, request: HttpRequest) -> HttpResponse:
    """Back to the report with the filters the form was posted from (only the known ones)."""
    query = {name: request.POST.get(name, "")[:40] for name in (*FILTERS, "page")}
    query = {k: v for k, v in query.items() if v}
    url = reverse("capacity-detail", args=[pk])
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@login_required
@require_POST
def capacity_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """处理建议: one (township, item) row's proposal and note, by a county role."""
    assessment = sel.assessment_detail(request.user, pk)
    if not can_act_for_county(request.user, assessment.county):
        raise PermissionDenied
    township = township_of_county_or_404(
        request.user, request.POST.get("row_township", ""), assessment.county_id
    )
    item = PowerItem.objects.filter(pk=_int(request.POST.get("item"))).first()
    try:
        if item is None:
            raise ServiceError(ErrorCode.INVALID, _("事项不存在。"), field="item")
        rating = services.capacity_proposal_set(
            actor=request.user,
            assessment=assessment,
            township=township,
            item=item,
            proposal=request.POST.get("proposal", ""),
            note=request.POST.get("proposal_note", ""),
            version=_int(request.POST.get("version")),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已保存%(township)s“%(item)s”的处理建议：%(proposal)s。")
            % {
                "township": township.name,
                "item": item.name,
                "proposal": rating.get_proposal_display() or _("无"),
            },
        )
    return _back(pk, request)


@login_required
@require_POST
def capacity_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """完成评估: freeze the figures and adopt the proposals."""
    assessment = sel.assessment_detail(request.user, pk)
    if not can_act_for_county(request.user, assessment.county):
        raise PermissionDenied
    try:
        services.capacity_assessment_conclude(
            actor=request.user, assessment=assessment, version=_int(request.POST.get("version"))
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评估已完成，处理建议将用于下一版赋权清单。"))
    return redirect("capacity-detail", pk=pk)


def _int(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() else None


@login_required
def capacity_rate(request: HttpRequest, pk: int, adcode: str) -> HttpResponse:
    """乡镇自评: the township's team leader or administrator rates each granted item."""
    assessment = sel.assessment_detail(request.user, pk)
    township = township_of_county_or_404(request.user, adcode, assessment.county_id)
    if not can_act_for_township(request.user, township):
        raise PermissionDenied
    rows = sel.township_rows(assessment, township)
    errors: dict[str, str] = {}
    posted: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        inputs = []
        for row in rows:
            item_id = row.item.pk
            rating = request.POST.get(f"rating_{item_id}", "")
            reason = request.POST.get(f"reason_{item_id}", "")[:1000]
            posted[item_id] = (rating, reason)
            inputs.append(
                services.RatingInput(item_id, rating, reason, _int(request.POST.get(f"version_{item_id}")))
            )
        try:
            changed = services.capacity_rating_set(
                actor=request.user, assessment=assessment, township=township, ratings=inputs
            )
        except ServiceError as exc:
            found = exc.errors if isinstance(exc, ValidationErrors) else [exc]
            errors = {e.field or "": e.message for e in found}
            errors.setdefault("", exc.message)
        else:
            messages.success(
                request,
                _("%(township)s的自评已保存（%(n)d项有变化）。") % {"township": township.name, "n": changed},
            )
            return redirect("capacity-rate", pk=pk, adcode=adcode)
    entries = []
    for row in rows:
        rating, reason = posted.get(row.item.pk, (row.rating.rating, row.rating.reason))
        error = errors.get(f"rating_{row.item.pk}") or errors.get(f"reason_{row.item.pk}")
        entries.append({"row": row, "rating": rating, "reason": reason, "error": error})
    context = {
        "assessment": assessment,
        "township": township,
        "entries": entries,
        "error": errors.get(""),
        "rating_options": SelfRating.choices,
        "editable": assessment.is_drafting,
        "min_certified": sel.MIN_CERTIFIED_OFFICERS,
    }
    return render(request, "powers/capacity_rate.html", context)


@login_required
@require_GET
def capacity_export(request: HttpRequest, pk: int) -> FileResponse:
    """The report as .xlsx: sheet 汇总 (summary) and sheet 明细 (the rows, with the page's filters)."""
    assessment = sel.assessment_detail(request.user, pk)
    report = sel.capacity_report(request.user, assessment)
    filters = _filters(request)
    content = xlsx_bytes(report_sheets(report, sel.filter_rows(report.rows, **filters), filters))
    filename = f"{assessment.county.name}{assessment.title}.xlsx"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def report_sheets(
    report: sel.CapacityReport, rows: list[sel.ReportRow], filters: dict[str, str]
) -> list[Sheet]:
    """汇总: the round, seed 004's headline, by domain and by township; 明细: one line per row."""
    a = report.assessment
    summary: list[list[Any]] = [
        [_("评估名称"), a.title],
        [_("县（区）"), a.county.name],
        [_("评估的赋权清单"), str(a.grant_list)],
        [_("评估期"), _("%(start)s 至 %(end)s") % {"start": a.period_start, "end": a.period_end}],
        [_("状态"), a.get_status_display()],
        [_("评估结论"), report.headline],
        [_("其中部分乡镇能承接"), report.item_partial],
        [_("评估期内均未行使的事项"), len(report.never_exercised)],
        [
            _("判断标准"),
            _("乡镇自评能承接或基本能承接，且领域内持有效执法证人员不少于%(n)d人（《行政处罚法》第四十二条）")
            % {"n": sel.MIN_CERTIFIED_OFFICERS},
        ],
    ]
    if any(filters.values()):
        summary.append([_("明细筛选条件"), _describe_filters(report, filters)])
    for tally in report.domains:
        summary.append(
            [
                _("执法领域：%(name)s") % {"name": tally.label},
                _("赋予%(n)d项，能有效承接%(x)d项，尚无力承接%(y)d项")
                % {"n": tally.items, "x": tally.items_can, "y": tally.items_cannot},
            ]
        )
    for township, tally in report.townships:
        summary.append(
            [
                _("乡镇（街道）：%(name)s") % {"name": township.name},
                _("赋予%(n)d项，能承接%(x)d项，尚无力承接%(y)d项，已自评%(r)d项，建议取消%(v)d项")
                % {
                    "n": tally.items,
                    "x": tally.items_can,
                    "y": tally.items_cannot,
                    "r": tally.rated,
                    "v": tally.revoke,
                },
            ]
        )
    counts = [(key, label) for key, label in report.sources]
    headers = [_("乡镇"), _("事项编码"), _("事项名称"), _("执法领域"), *[label for _k, label in counts]]
    headers += [_("持证人数"), _("乡镇自评"), _("评估结论"), _("处理建议"), _("自评说明"), _("建议说明")]
    detail = [
        [
            r.township.name,
            r.item.code,
            r.item.name,
            r.item.domain.name if r.item.domain else "",
            *[r.count(key) for key, _label in counts],
            r.certified,
            r.rating.get_rating_display() or _("未自评"),
            r.judgement_label,
            r.rating.get_proposal_display(),
            r.rating.reason,
            r.rating.proposal_note,
        ]
        for r in rows
    ]
    return [
        Sheet(_("汇总"), [_("项目"), _("内容")], summary, {0: 28, 1: 80}),
        Sheet(_("明细"), headers, detail, {1: 16, 2: 48}),
    ]


def _describe_filters(report: sel.CapacityReport, filters: dict[str, str]) -> str:
    names = {t.adcode: t.name for t, _tally in report.townships}
    names |= {r.item.domain.code: r.item.domain.name for r in report.rows if r.item.domain}
    names |= dict(Judgement.choices) | {"unrated": _("未自评"), "yes": _("有行使"), "no": _("未行使")}
    return "；".join(str(names.get(v, v)) for v in filters.values() if v)
