"""Small helpers shared by the people and certificate pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from zhifa.org.policies import Action, user_can


def require(request: HttpRequest, action: Action, obj: Model | None = None) -> None:
    """403 when the user may not take `action`. Callers fetch `obj` through get_visible_or_404 first,
    so an object outside the user's scope has already given 404 (no data, not even existence)."""
    if not user_can(request.user, action, obj):
        raise PermissionDenied


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
