"""Public verification of a certificate by number (no login): what the printed QR code opens.

Shows only whether it is valid now, the holder's name, domains and validity dates (GO118 (五):
officers show their certificates; PIPL Art. 34: nothing more than needed, so no phone, agency
internals, id numbers or history).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from zhifa.org.forms.certificates import VerifyForm
from zhifa.org.selectors.certificates import certificate_public


@never_cache
def verify_form_view(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("certificate-verify-number", number=form.cleaned_data["number"].strip())
    return render(request, "org/verify_form.html", {"form": form})


@never_cache
def verify_number_view(request: HttpRequest, number: str) -> HttpResponse:
    result = certificate_public(number)
    return render(
        request, "org/verify_result.html", {"number": number, "result": result, "form": VerifyForm()}
    )
