"""The page a visit's QR code opens (/v/<code>/, no login): who inspects, on what, the result, rating.

GO118 (五): inspectors show their certificates and inform the party of the basis; (六): the result is
made public. The page shows names, agencies and certificate numbers of the inspectors (APL Art. 55),
the items with their legal basis, and the result once the visit is done; never a phone number, a
finding's text or a photo. The subject may rate a done visit once (services.visits.visit_rate_public).
Unknown codes are counted per network (the intake's hourly counters) so codes cannot be guessed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zhifa.core.errors import ServiceError
from zhifa.inspections.models import VisitState
from zhifa.inspections.selectors.visits_list import public_visit
from zhifa.inspections.services.visits import visit_rate_public
from zhifa.intake.views.public import count, over_limit

UNKNOWN_CODES_PER_HOUR = 30
ROBOTS = "noindex, nofollow"


class RatingForm(forms.Form):
    """1-5 stars and an optional comment."""

    rating = forms.TypedChoiceField(
        label=gettext_lazy("满意度"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择1至5星。"),
            "invalid_choice": gettext_lazy("请选择1至5星。"),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("评价意见（选填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


def _missing(request: HttpRequest) -> HttpResponse:
    count(request, "visit-code-unknown")
    response = render(request, "inspections/public_visit_missing.html", status=404)
    response["X-Robots-Tag"] = ROBOTS
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def public_visit_view(request: HttpRequest, code: str) -> HttpResponse:
    """The visit's public page; a POST rates it (once, only when done)."""
    if over_limit(request, "visit-code-unknown", UNKNOWN_CODES_PER_HOUR):
        return _missing(request)
    visit = public_visit(code)
    if visit is None:
        return _missing(request)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit_rate_public(
                code=visit.code,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"].strip(),
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("inspections-public-visit", code=visit.code)
    inspectors = list(visit.inspectors.all())
    items = sorted(visit.items.all(), key=lambda i: (i.department.name, i.code))
    response = render(
        request,
        "inspections/public_visit.html",
        {
            "visit": visit,
            "inspectors": inspectors,
            "items": items,
            "done": visit.state == VisitState.DONE,
            "can_rate": visit.state == VisitState.DONE and visit.rating is None,
            "form": form,
        },
    )
    response["X-Robots-Tag"] = ROBOTS
    return response
