"""The public's pages, no login (群众举报投诉): report a problem and follow it by tracking code.

The form asks for the category, what happened, where (a position or the township) and, optionally,
photos and a name and phone; it answers with a random tracking code (intake.codes). The status page
shows selectors.public_status only: status, category, dates and the names of the steps, never a name,
phone, note or photo of anyone. After closing the reporter may rate the handling (clue_evaluate_public).

Abuse protection without new dependencies: Django's CSRF check, a honeypot field robots fill in, and
per-IP limits counted in the Django cache (reports created, posts attempted, unknown codes looked up).
Counters live in the configured cache: with several app processes, configure a shared cache (see
docs/configuration.md), else each process counts on its own.
"""

from __future__ import annotations

import hashlib
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from zhifa.core.errors import ServiceError
from zhifa.intake.codes import normalise_tracking
from zhifa.intake.forms import (
    EvaluateForm,
    PublicReportForm,
    TrackForm,
    apply_errors,
    errors_json,
    photo_uploads,
)
from zhifa.intake.models import Clue, ClueSource
from zhifa.intake.selectors.clues import PublicStatus, public_status
from zhifa.intake.services.loop import clue_evaluate_public
from zhifa.intake.services.report import ClueInput, clue_report_public
from zhifa.intake.views.report import report_context, wants_json

WINDOW_SECONDS = 3600
REPORTS_PER_HOUR_DEFAULT = 10
ROBOTS = "noindex, nofollow"


def reports_per_hour() -> int:
    return int(getattr(settings, "ZHIFA_PUBLIC_REPORTS_PER_HOUR", REPORTS_PER_HOUR_DEFAULT))


def client_ip(request: HttpRequest) -> str:
    """The caller's address; behind the proxy (ZHIFA_BEHIND_PROXY) the one it appended last."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(request: HttpRequest, bucket: str) -> str:
    # The address is hashed: the cache holds no personal data, and keys have a fixed length.
    ip = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    return f"zhifa:rate:{bucket}:{ip}:{int(time.time() // WINDOW_SECONDS)}"


def over_limit(request: HttpRequest, bucket: str, limit: int) -> bool:
    """The caller has used up `limit` in the current hour (without counting this call)."""
    return int(cache.get(_key(request, bucket), 0)) >= limit


def count(request: HttpRequest, bucket: str) -> None:
    """Count one use of `bucket` by the caller in the current hour."""
    key = _key(request, bucket)
    if not cache.add(key, 1, WINDOW_SECONDS + 60):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS + 60)


def _limits() -> tuple[tuple[str, int], ...]:
    created = reports_per_hour()
    # Attempts (with mistakes) are allowed three times the reports; lookups of unknown codes are
    # limited so the tracking page cannot be used to guess codes.
    return (("public-report", created), ("public-post", created * 3))


def _too_many(request: HttpRequest) -> str | None:
    for bucket, limit in _limits():
        if over_limit(request, bucket, limit):
            return _(
                "提交过于频繁：同一网络每小时最多提交%(n)d条举报，请一小时后再试。情况紧急请拨打12345热线或110。"
            ) % {"n": reports_per_hour()}
    return None


def _input(form: PublicReportForm) -> ClueInput:
    data = form.cleaned_data
    return ClueInput(
        source=ClueSource.PUBLIC,
        category=data["category"],
        text=data["text"],
        lng=data["lng"],
        lat=data["lat"],
        address=data["address"],
        region=data["region"],
        reporter_name=data["reporter_name"],
        reporter_phone=data["reporter_phone"],
        client_key=form.service_key(),
        photos=photo_uploads(data["photos"]),
    )


def _done(request: HttpRequest, clue: Clue, status: int = 201) -> HttpResponse:
    url = reverse("public-report-done", args=[clue.tracking_code])
    if wants_json(request):
        return JsonResponse({"url": url}, status=status)
    return redirect(url)


def _submit(request: HttpRequest, form: PublicReportForm) -> tuple[HttpResponse | None, int]:
    """(the answer, or None with the status of the re-shown form)."""
    if form.data.get("website"):
        count(request, "public-post")
        form.add_error(None, _("提交失败，请刷新页面后重试。"))
        return None, 400
    if not form.is_valid():
        count(request, "public-post")
        return None, 400
    key = form.service_key()
    existing = Clue.objects.filter(client_key=key, reported_by__isnull=True).first() if key else None
    if existing is not None:
        return _done(request, existing, status=200), 200  # a retry after a lost answer: not counted
    message = _too_many(request)
    if message:
        form.add_error(None, message)
        return None, 429
    count(request, "public-post")
    try:
        clue = clue_report_public(data=_input(form))
    except ServiceError as exc:
        apply_errors(form, exc)
        return None, 400
    count(request, "public-report")
    return _done(request, clue), 201


def public_report(request: HttpRequest) -> HttpResponse:
    """GET: the complaint form. POST: report; answers with the tracking code's page."""
    status = 200
    if request.method == "POST":
        form = PublicReportForm(request.POST, request.FILES)
        answer, status = _submit(request, form)
        if answer is not None:
            return answer
        if wants_json(request):
            return JsonResponse({"errors": errors_json(form)}, status=status)
    else:
        form = PublicReportForm(initial={"client_key": str(uuid.uuid4())})
    context = report_context(
        form=form, outlines={"type": "FeatureCollection", "features": []}, draft_key="zhifa.public-report"
    )
    response = render(request, "intake/public_report.html", context, status=status)
    response["X-Robots-Tag"] = ROBOTS
    return response


def _status_or_404(request: HttpRequest, code: str) -> tuple[PublicStatus | None, HttpResponse | None]:
    """(the public status behind a code, or None with the page to show instead: unknown code, 404;
    too many unknown codes from this address, 429). Unknown codes count towards the guessing limit."""
    limit = reports_per_hour() * 3
    if over_limit(request, "public-miss", limit):
        return None, render(
            request,
            "intake/public_track.html",
            {"form": TrackForm(), "blocked": True},
            status=429,
        )
    status = public_status(code)
    if status is None:
        count(request, "public-miss")
        form = TrackForm({"code": code})
        form.is_valid()
        form.add_error("code", _("查询码不存在，请核对后重新输入。"))
        return None, render(request, "intake/public_track.html", {"form": form}, status=404)
    return status, None


@never_cache
def public_report_done(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation: the tracking code to keep, and where to follow the report."""
    status, blocked = _status_or_404(request, code)
    if blocked is not None:
        return blocked
    response = render(request, "intake/public_done.html", {"status": status})
    response["X-Robots-Tag"] = ROBOTS
    return response


@never_cache
def public_track(request: HttpRequest) -> HttpResponse:
    """Enter a tracking code (?code=…) and go to its status page."""
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = normalise_tracking(form.cleaned_data["code"])
        if code:
            return redirect("public-track-code", code=code)
    response = render(request, "intake/public_track.html", {"form": form})
    response["X-Robots-Tag"] = ROBOTS
    return response


@never_cache
def public_track_code(request: HttpRequest, code: str) -> HttpResponse:
    """The status by tracking code; after closing, the reporter's evaluation (POST)."""
    normal = normalise_tracking(code)
    if normal != code:
        return redirect("public-track-code", code=normal)
    status, blocked = _status_or_404(request, code)
    if blocked is not None:
        return blocked
    form = EvaluateForm(request.POST or None)
    http_status = 200
    if request.method == "POST":
        http_status = 400
        if form.is_valid():
            try:
                clue_evaluate_public(
                    tracking=code, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
                )
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("感谢您的评价。"))
                return redirect("public-track-code", code=code)
    response = render(
        request, "intake/public_status.html", {"status": status, "form": form}, status=http_status
    )
    response["X-Robots-Tag"] = ROBOTS
    return response
