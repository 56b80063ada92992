"""Public disclosure of granted powers (no login): each township's current granted-and-claimed list.

APL Art. 24: the grant decision is published; APL Art. 39: the implementing body, basis and procedure
of penalties are public. Only published versions are shown; older versions stay readable.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.powers.resolver import grant_list_in_force
from zhifa.powers.selectors import grants as sel


def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "powers/public_index.html", {"counties": sel.public_counties()})


def public_township(request: HttpRequest, adcode: str) -> HttpResponse:
    township = sel.public_township_or_404(adcode)
    today = datetime.date.today()
    current = grant_list_in_force(township.parent, today)
    return _render(request, township, current, today)


def public_township_version(request: HttpRequest, adcode: str, number: int) -> HttpResponse:
    township = sel.public_township_or_404(adcode)
    grant_list = sel.public_version_or_404(township, number)
    today = datetime.date.today()
    # An older version is shown as it stood on its last day in force.
    later = [v for v in sel.public_versions(township) if v.effective_from > grant_list.effective_from]
    on_date = min(v.effective_from for v in later) - datetime.timedelta(days=1) if later else today
    return _render(request, township, grant_list, max(on_date, grant_list.effective_from))


def _render(request: HttpRequest, township, grant_list, on_date: datetime.date) -> HttpResponse:
    context = {
        "township": township,
        "listing": sel.public_list(township, grant_list, on_date),
        "versions": sel.public_versions(township),
        "on_date": on_date,
    }
    return render(request, "powers/public_township.html", context)
