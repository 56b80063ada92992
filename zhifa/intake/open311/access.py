"""The api_key of Open311 POSTs, and the rate limit per key.

The api_key is an ordinary API token (zhifa.core.models.ApiToken, created with `manage.py
create_api_token` or /api/v1/tokens), checked exactly as the bearer authentication of the JSON API
(zhifa.core.api_auth.TokenAuth): looked up by its SHA-256; unknown, revoked or expired keys, and keys
of deactivated users, are refused (403, as the spec says), and the usage stamp is written.

Rate limit: at most settings.ZHIFA_OPEN311_RATE_LIMIT POSTs (default 60; 0 = no limit) per key in
each window of settings.ZHIFA_OPEN311_RATE_WINDOW seconds (default 60), counted in Django's cache
(one counter per key and window; with several server processes the cache must be shared, e.g.
Redis or the database cache, for the limit to hold across them). Over the limit: 429 with Retry-After.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from zhifa.core.api_auth import active_token
from zhifa.core.models import ApiToken
from zhifa.intake.open311.render import Open311Error

DEFAULT_LIMIT = 60
DEFAULT_WINDOW = 60  # seconds


def token_for_key(raw_key: str) -> ApiToken:
    """The active API token whose key is `raw_key`; a 403 in the spec's words otherwise."""
    key = (raw_key or "").strip()
    if not key:
        raise Open311Error(403, _("缺少 api_key，无法提交服务请求。"))
    api_token = active_token(key)
    if api_token is None:
        raise Open311Error(403, _("api_key 无效、已撤销或已过期，无法提交服务请求。"))
    return api_token


def check_rate(api_token: ApiToken) -> None:
    """Count one POST of `api_token`; a 429 when the window's allowance is used up."""
    limit = int(getattr(settings, "ZHIFA_OPEN311_RATE_LIMIT", DEFAULT_LIMIT))
    window = max(1, int(getattr(settings, "ZHIFA_OPEN311_RATE_WINDOW", DEFAULT_WINDOW)))
    if limit <= 0:
        return
    now = time.time()
    slot = int(now // window)
    key = f"zhifa:open311:rate:{api_token.pk}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        retry = max(1, int((slot + 1) * window - now) + 1)
        raise Open311Error(
            429,
            _("提交过于频繁：每个 api_key 每%(window)d秒最多%(limit)d个请求，请稍后再试。")
            % {"window": window, "limit": limit},
            headers={"Retry-After": str(retry)},
        )
