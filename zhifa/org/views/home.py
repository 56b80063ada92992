"""The home page: one per role, with what that role does."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.org.selectors.home import home_data


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from zhifa.intake.views.command import home_warnings  # org must not import intake at module level

    context = {"data": home_data(request.user), "intake_warnings": home_warnings(request.user)}
    return render(request, "org/home.html", context)
