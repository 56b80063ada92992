"""Document number templates per agency and document type (administrators)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhifa.core.errors import ServiceError
from zhifa.org.models import Agency, NumberTemplate
from zhifa.org.numbering_format import DOC_TYPE_LABELS, default_template, render_number
from zhifa.org.policies import Action, user_can
from zhifa.org.scoping import editable, get_visible_or_404
from zhifa.org.services.numbering import number_template_set


def _require(request: HttpRequest) -> None:
    if not user_can(request.user, Action.MANAGE_NUMBERING):
        raise Http404


@login_required
def number_template_list(request: HttpRequest) -> HttpResponse:
    """Agencies in scope and, for the chosen one, each document type's template with an example."""
    _require(request)
    agencies = list(editable(Agency.objects.filter(is_active=True), request.user).select_related("region"))
    agency = None
    if request.GET.get("agency"):
        agency = get_visible_or_404(
            editable(Agency.objects.all(), request.user), request.user, pk=request.GET["agency"]
        )
    elif agencies:
        agency = agencies[0]
    rows = []
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if agency is not None and request.method == "POST":
        doc_type = request.POST.get("doc_type", "")
        values[doc_type] = request.POST.get("template", "")
        try:
            number_template_set(
                actor=request.user,
                agency=agency,
                doc_type=doc_type,
                template=request.POST.get("template", ""),
            )
        except ServiceError as error:
            errors[doc_type] = error.message
        else:
            messages.success(request, _("文号模板已保存。"))
            return redirect(f"{reverse('number-template-list')}?agency={agency.pk}")
    if agency is not None:
        own = dict(NumberTemplate.objects.filter(agency=agency).values_list("doc_type", "template"))
        year = datetime.date.today().year
        for code, label in DOC_TYPE_LABELS.items():
            template = own.get(code) or default_template(code)
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "template": values.get(code, template),
                    "own": code in own,
                    "example": render_number(template, agency.short_name, year, 12),
                    "error": errors.get(code),
                }
            )
    status = 400 if errors else 200
    return render(
        request,
        "org/number_templates.html",
        {"agencies": agencies, "agency": agency, "rows": rows},
        status=status,
    )
