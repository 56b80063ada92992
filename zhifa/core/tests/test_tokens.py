"""The API token service: keys shown once and stored hashed, one record event per change, permissions."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from zhifa.core.errors import ServiceError
from zhifa.core.models import ApiToken, Event
from zhifa.core.services.tokens import api_token_create, api_token_mark_used, api_token_revoke

pytestmark = pytest.mark.django_db


def test_create_stores_only_the_hash_and_writes_one_event(county):
    user = county.user("officer", "t0")
    before = Event.objects.count()
    token, key = api_token_create(actor=user, user=user, name="集成")
    assert key.startswith("zf_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[: len(token.prefix)] and len(token.prefix) <= 12
    assert not ApiToken.objects.filter(key_hash=key).exists()
    events = list(Event.objects.order_by("seq")[before:])
    assert [e.action for e in events] == ["api_token.create"]
    assert key not in events[0].data and token.key_hash not in events[0].data


def test_keys_are_unique(county):
    user = county.user("officer", "t0")
    keys = {api_token_create(actor=user, user=user, name=f"k{i}")[1] for i in range(5)}
    assert len(keys) == 5


def test_revoke_writes_one_event_and_refuses_twice(county):
    user = county.user("officer", "t0")
    token, _key = api_token_create(actor=user, user=user, name="集成")
    before = Event.objects.count()
    api_token_revoke(actor=user, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert list(Event.objects.order_by("seq").values_list("action", flat=True)[before:]) == [
        "api_token.revoke"
    ]
    with pytest.raises(ServiceError) as err:
        api_token_revoke(actor=user, token=token)
    assert err.value.code == "invalid_state"
    assert Event.objects.count() == before + 1


@pytest.mark.parametrize(
    ("name", "expires_in", "field"),
    [("", None, "name"), ("x" * 101, None, "name"), ("集成", datetime.timedelta(seconds=-1), "expires_at")],
)
def test_bad_input_names_the_field_and_writes_nothing(county, name, expires_in, field):
    user = county.user("officer", "t0")
    expires_at = timezone.now() + expires_in if expires_in is not None else None
    with pytest.raises(ServiceError) as err:
        api_token_create(actor=user, user=user, name=name, expires_at=expires_at)
    assert err.value.field == field
    assert not ApiToken.objects.exists() and not Event.objects.exists()


def test_only_the_user_or_an_administrator_of_their_place_manages_their_tokens(county, other_county):
    target = county.user("officer", "t0")
    with pytest.raises(ServiceError) as err:
        api_token_create(actor=county.user("officer", "t1"), user=target, name="越权")
    assert err.value.code == "not_allowed"
    with pytest.raises(ServiceError):
        api_token_create(actor=other_county.user("admin", "county"), user=target, name="越权")
    token, _key = api_token_create(actor=county.user("admin", "county"), user=target, name="管理员代建")
    with pytest.raises(ServiceError):
        api_token_revoke(actor=county.user("officer", "t1"), token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_deactivated_user_gets_no_token(county):
    user = county.user("officer", "t0")
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(ServiceError) as err:
        api_token_create(actor=None, user=user, name="集成")
    assert err.value.field == "user"


def test_usage_stamp_is_written_at_most_once_a_minute(county):
    user = county.user("officer", "t0")
    token, _key = api_token_create(actor=None, user=user, name="集成")
    now = timezone.now()
    assert api_token_mark_used(token, now) is True
    assert api_token_mark_used(token, now + datetime.timedelta(seconds=59)) is False
    stale = ApiToken.objects.get(pk=token.pk)  # another request that loaded the token before the stamp
    stale.last_used_at = None
    assert api_token_mark_used(stale, now + datetime.timedelta(seconds=30)) is False
    assert api_token_mark_used(token, now + datetime.timedelta(seconds=61)) is True
