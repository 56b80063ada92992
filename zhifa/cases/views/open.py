"""Opening a case (案源登记, /cases/open/) and 立案 from a handled clue in one click (issue 5, point 8).

The form asks for what services.cases.CaseInput needs; the agency is the officer's own (or one they
are seconded to), the place a township of the county, the item a penalty item, those the agency may
enforce listed first. Errors come back next to their fields, in the service's words. The clue page
loads the button fragment from here (intake never imports cases: DESIGN.md, imports point down the
flow), which also lists the cases already opened from the clue.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.forms import CaseOpenForm
from zhifa.cases.models import Case
from zhifa.cases.policies import can_open_case
from zhifa.cases.services.cases import CaseInput, case_open, case_open_from_clue
from zhifa.core.errors import ServiceError
from zhifa.intake.selectors.clues import clue_detail
from zhifa.org.models import Agency, AgencyKind, Region, RegionLevel
from zhifa.org.scoping import own_scope, person_of, visible
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.resolver import grant_list_in_force

OTHER_ITEMS_LIMIT = 500


def acting_agencies(user: Any) -> list[Agency]:
    """The agencies `user` may register cases for: their own, then those they are seconded to."""
    person = person_of(user)
    if person is None:
        return []
    ids = set(own_scope(user).agency_ids)
    if person.agency_id is not None:
        ids.add(person.agency_id)
    agencies = Agency.objects.filter(pk__in=ids, is_active=True).select_related("region")
    return sorted(
        (a for a in agencies if can_open_case(user, a)), key=lambda a: (a.pk != person.agency_id, a.pk)
    )


def penalty_items() -> QuerySet[PowerItem]:
    return PowerItem.objects.filter(power_type=PowerType.PENALTY, is_active=True).order_by("code")


def agency_items(agency: Agency | None, on_date: datetime.date | None = None) -> QuerySet[PowerItem]:
    """The penalty items `agency` enforces: for a township those its county's grant list in force gives
    it (APL Art. 24), for a department those of its domains; none for others."""
    if agency is None:
        return PowerItem.objects.none()
    if agency.kind == AgencyKind.TOWNSHIP_GOVERNMENT:
        county = Region.objects.filter(adcode=agency.region.adcode[:6].ljust(12, "0")).first()
        grant_list = grant_list_in_force(county, on_date or timezone.localdate()) if county else None
        if grant_list is None:
            return PowerItem.objects.none()
        return penalty_items().filter(
            pk__in=grant_list.entries.filter(township=agency.region).values("item_id")
        )
    if agency.department_id is not None:
        return penalty_items().filter(domain__in=agency.department.domains.values("pk"))
    return PowerItem.objects.none()


def item_choices(agency: Agency | None) -> list[tuple[Any, list[tuple[int, str]]]]:
    """Grouped choices: the agency's own items first, then the other penalty items."""
    own = list(agency_items(agency).values_list("pk", "code", "name"))
    own_ids = {pk for pk, _code, _name in own}
    others = [row for row in penalty_items().values_list("pk", "code", "name")[:OTHER_ITEMS_LIMIT]]
    groups = []
    if own:
        groups.append((_("本机关实施的事项"), [(pk, f"{code} {name}") for pk, code, name in own]))
    rest = [(pk, f"{code} {name}") for pk, code, name in others if pk not in own_ids]
    if rest:
        groups.append((_("其他处罚事项"), rest))
    return groups


def township_choices(agency: Agency | None) -> list[tuple[int, str]]:
    """The townships and streets of the agency's county (a township agency's own first)."""
    if agency is None:
        return []
    county = agency.region.adcode[:6]
    townships = Region.objects.filter(
        adcode__startswith=county, level__in=(RegionLevel.TOWNSHIP, RegionLevel.STREET)
    ).order_by("adcode")
    rows = [(r.pk, r.name) for r in townships]
    rows.sort(key=lambda row: row[0] != agency.region_id)
    return rows


def _form(user: Any, data: Any = None) -> tuple[CaseOpenForm, list[Agency]]:
    agencies = acting_agencies(user)
    first = agencies[0] if agencies else None
    form = CaseOpenForm(
        data,
        agencies=agencies,
        items=item_choices(first),
        regions=township_choices(first),
        initial={"discovered_on": timezone.localdate(), "region": first.region_id if first else None},
    )
    return form, agencies


def _input(form: CaseOpenForm, agencies: list[Agency]) -> CaseInput:
    data = form.cleaned_data
    return CaseInput(
        agency=next(a for a in agencies if a.pk == data["agency"]),
        item=penalty_items().get(pk=data["item"]),
        region=Region.objects.get(pk=data["region"]),
        title=data["title"],
        act_on=data["act_on"],
        discovered_on=data["discovered_on"],
        source=data["source"],
        procedure=data["procedure"],
        facts=data["facts"],
        address=data["address"],
        source_note=data["source_note"],
        act_continuing_until=data["act_continuing_until"],
        art36_harm=data["art36_harm"],
        complex_case=data["complex_case"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open_page(request: HttpRequest) -> HttpResponse:
    """The form; a valid post opens the case through case_open and goes to its workspace."""
    form, agencies = _form(request.user, request.POST if request.method == "POST" else None)
    if not agencies:
        raise Http404
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = case_open(actor=request.user, data=_input(form, agencies))
            except ServiceError as exc:
                form.add_service_error(exc)
                status = 403 if exc.code == "not_allowed" else 400
            else:
                messages.success(request, _("案件 %(code)s 已登记。") % {"code": case.code})
                return redirect("case-detail", pk=case.pk)
        else:
            status = 400
    return render(request, "cases/open.html", {"form": form}, status=status)


@login_required
@require_GET
def clue_case_button(request: HttpRequest, clue_pk: int) -> HttpResponse:
    """The clue page's fragment: the cases opened from the clue, and the 立案 button for those who may
    open one (the handling team of the assigned agency, once the clue was signed for)."""
    from zhifa.intake.models import ClueStatus
    from zhifa.intake.policies import can_handle

    clue = clue_detail(request.user, clue_pk)
    cases = list(visible(Case.objects.filter(clue=clue), request.user).select_related("item").order_by("id"))
    statuses = (
        ClueStatus.HANDLING,
        ClueStatus.HANDLED,
        ClueStatus.FED_BACK,
        ClueStatus.VERIFIED,
        ClueStatus.CLOSED,
    )
    may_open = (
        clue.status in statuses
        and clue.assigned_agency is not None
        and can_handle(request.user, clue)
        and can_open_case(request.user, clue.assigned_agency)
    )
    used = {c.item_id for c in cases}
    items = [i for i in clue.items.filter(power_type=PowerType.PENALTY).order_by("code") if i.pk not in used]
    context = {"clue": clue, "cases": cases, "may_open": may_open and bool(items), "items": items}
    context["no_item"] = may_open and not items and not cases
    return render(request, "intake/clue_case_button.html#fragment", context)


@login_required
@require_POST
def case_open_from_clue_view(request: HttpRequest, clue_pk: int) -> HttpResponse:
    """立案 in one click: place, item, text and photos flow from the clue into the new case."""
    clue = clue_detail(request.user, clue_pk)
    item = None
    raw = request.POST.get("item", "")
    if raw.isdigit():
        item = clue.items.filter(pk=int(raw), power_type=PowerType.PENALTY).first()
    try:
        case = case_open_from_clue(actor=request.user, clue=clue, item=item)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("intake-clue", pk=clue.pk)
    messages.success(
        request, _("已由线索 %(clue)s 登记案件 %(code)s。") % {"clue": clue.code, "code": case.code}
    )
    return redirect("case-detail", pk=case.pk)
