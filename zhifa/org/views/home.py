"""The home page: one per role, with what that role does."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.org.selectors.home import home_data


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "org/home.html", {"data": home_data(request.user)})
