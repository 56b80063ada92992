"""API tokens for integrations: create (the key is shown once), revoke, and the usage stamp.

Only the SHA-256 of a key is stored, so a leaked database does not leak working keys; a key is
looked up by its hash, which needs no constant-time comparison (the attacker does not choose which
stored value is compared).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import ApiToken
from zhifa.core.record import record_event, snapshot

KEY_PREFIX = "zf_"
PREFIX_LENGTH = 11  # "zf_" and 8 characters: enough to tell a user's tokens apart, useless for guessing
USAGE_STAMP_INTERVAL = datetime.timedelta(minutes=1)
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
RECORDED_FIELDS = ("user", "name", "prefix", "expires_at", "revoked_at")


def hash_key(raw_key: str) -> str:
    """The stored form of a key: its SHA-256 in hex."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def new_raw_key() -> str:
    """A fresh key: 256 random bits, URL-safe, recognisable by its "zf_" prefix."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def can_manage_tokens(actor: Any, user: Any) -> bool:
    """A user manages their own tokens; a superuser, or an administrator of the user's place, anyone's.

    `actor=None` is the command line (`manage.py create_api_token`), run by whoever operates the server.
    """
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser or actor.pk == user.pk:
        return True
    from zhifa.org.policies import Action, user_can  # org builds on core, not the other way round

    person = getattr(user, "person", None)  # RelatedObjectDoesNotExist is an AttributeError
    return person is not None and user_can(actor, Action.EDIT_ORG, person)


def _check_allowed(actor: Any, user: Any) -> None:
    if not can_manage_tokens(actor, user):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权管理该用户的API令牌。"))


@transaction.atomic
def api_token_create(
    *, actor: Any, user: Any, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the token and its raw key, which is never stored or shown again."""
    _check_allowed(actor, user)
    name = (name or "").strip()
    if not name:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写令牌名称。"), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ServiceError(
            ErrorCode.INVALID, _("令牌名称不能超过%(max)d个字。") % {"max": NAME_MAX_LENGTH}, field="name"
        )
    if not user.is_active:
        raise ServiceError(ErrorCode.INVALID_STATE, _("该用户已停用，不能创建API令牌。"), field="user")
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            expires_at = timezone.make_aware(expires_at)
        if expires_at <= timezone.now():
            raise ServiceError(ErrorCode.INVALID, _("过期时间必须晚于当前时间。"), field="expires_at")
    raw_key = new_raw_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw_key[:PREFIX_LENGTH],
        key_hash=hash_key(raw_key),
        expires_at=expires_at,
    )
    # The key and its hash stay out of the record: the record is read by more people than the key's owner.
    record_event(actor=actor, action="api_token.create", obj=token, after=snapshot(token, RECORDED_FIELDS))
    return token, raw_key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once; requests with its key get 401 from then on."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _check_allowed(actor, token.user)
    if token.revoked_at is not None:
        raise ServiceError(ErrorCode.INVALID_STATE, _("该令牌已被撤销。"))
    before = snapshot(token, RECORDED_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        before=before,
        after=snapshot(token, RECORDED_FIELDS),
    )
    return token


def api_token_mark_used(token: ApiToken, now: datetime.datetime | None = None) -> bool:
    """Stamp `last_used_at`, at most once a minute; returns True when the stamp was written.

    A usage stamp is bookkeeping like Django's `last_login`, not a change of state a user made, so
    it writes no record event (one per API request would drown the record). The conditional UPDATE
    keeps concurrent requests from writing the stamp more than once a minute.
    """
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USAGE_STAMP_INTERVAL:
        return False
    threshold = now - USAGE_STAMP_INTERVAL
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold)
    written = ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now) > 0
    if written:
        token.last_used_at = now
    return written
