"""Authentication of the JSON API: bearer tokens (valid, wrong, revoked, expired) and the browser session."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from zhifa.core.api_testing import API
from zhifa.core.models import ApiToken
from zhifa.core.services.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db
ME = f"{API}/me"


def bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def officer(county):
    return county.user("officer", "t0")


@pytest.fixture
def issued(officer):
    return api_token_create(actor=None, user=officer, name="集成")


def assert_unauthenticated(response) -> None:
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "person" not in body and "items" not in body
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_valid_token_authenticates_as_its_user(officer, issued):
    token, key = issued
    response = bearer(key).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == officer.username
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_scheme_is_case_insensitive(officer, issued):
    _token, key = issued
    assert Client(HTTP_AUTHORIZATION=f"bearer {key}").get(ME).status_code == 200


@pytest.mark.parametrize("header", ["Bearer zf_wrong", "Bearer ", "Bearer", "Bearer " + "x" * 500])
def test_wrong_or_empty_key_is_401(issued, header):
    assert_unauthenticated(Client(HTTP_AUTHORIZATION=header).get(ME))


def test_no_credentials_is_401(county):
    assert_unauthenticated(Client().get(ME))


def test_revoked_token_is_401(officer, issued):
    token, key = issued
    assert bearer(key).get(ME).status_code == 200
    api_token_revoke(actor=officer, token=token)
    assert_unauthenticated(bearer(key).get(ME))


def test_expired_token_is_401(officer):
    token, key = api_token_create(
        actor=None, user=officer, name="短期", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert bearer(key).get(ME).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_unauthenticated(bearer(key).get(ME))


def test_token_of_deactivated_user_is_401(officer, issued):
    _token, key = issued
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert_unauthenticated(bearer(key).get(ME))


def test_bad_token_does_not_fall_back_to_the_session(county, officer):
    """An integration with a wrong key must not act as whoever is logged in in the same browser."""
    client = Client(HTTP_AUTHORIZATION="Bearer zf_wrong")
    client.force_login(county.user("admin", "county"))
    assert_unauthenticated(client.get(ME))


def test_last_used_is_stamped_at_most_once_a_minute(issued):
    token, key = issued
    client = bearer(key)
    client.get(ME)
    token.refresh_from_db()
    first = token.last_used_at
    client.get(ME)
    token.refresh_from_db()
    assert token.last_used_at == first
    earlier = first - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get(ME)
    token.refresh_from_db()
    assert token.last_used_at > earlier + datetime.timedelta(minutes=1)


def test_session_authenticates_the_browser(officer):
    client = Client()
    client.force_login(officer)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == officer.username


def test_session_writes_need_the_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    url = f"{API}/tokens"
    refused = client.post(url, {"name": "页面"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_allowed"
    assert not ApiToken.objects.filter(user=officer).exists()
    client.get(f"{API}/docs")  # the API docs page sets the CSRF cookie for its "try it out" calls
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(url, {"name": "页面"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["key"].startswith("zf_")


def test_session_can_list_create_and_revoke_own_tokens(officer, county):
    client = Client()
    client.force_login(officer)
    created = client.post(f"{API}/tokens", {"name": "12345热线"}, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    key, token_id = data["key"], data["id"]
    assert bearer(key).get(ME).status_code == 200
    listed = client.get(f"{API}/tokens").json()
    assert [t["id"] for t in listed] == [token_id]
    assert "key" not in listed[0] and "key_hash" not in listed[0]
    assert client.post(f"{API}/tokens/{token_id}/revoke").status_code == 200
    assert_unauthenticated(bearer(key).get(ME))
    again = client.post(f"{API}/tokens/{token_id}/revoke")
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"
    # Someone else's token: 404, as if it did not exist.
    other, _key = api_token_create(actor=None, user=county.user("officer", "t1"), name="他人")
    assert client.post(f"{API}/tokens/{other.pk}/revoke").status_code == 404


def test_empty_token_name_names_the_field(officer):
    client = Client()
    client.force_login(officer)
    response = client.post(f"{API}/tokens", {"name": "  "}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "required", "field": "name", "message": "请填写令牌名称。"}


def test_a_token_cannot_manage_tokens(issued):
    """A leaked or expiring key must not mint itself a successor: token management is session-only."""
    _token, key = issued
    assert_unauthenticated(
        bearer(key).post(f"{API}/tokens", {"name": "续期"}, content_type="application/json")
    )
    assert_unauthenticated(bearer(key).get(f"{API}/tokens"))


def test_create_api_token_command_prints_a_working_key(officer, capsys):
    call_command("create_api_token", officer.username, "--name", "省平台", "--days", "30")
    key = capsys.readouterr().out.strip()
    assert key.startswith("zf_")
    assert bearer(key).get(ME).status_code == 200
    token = ApiToken.objects.get(user=officer, name="省平台")
    assert token.expires_at is not None
    assert timezone.now() + datetime.timedelta(days=29) < token.expires_at


def test_anonymous_write_is_401_not_a_csrf_error(county):
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/tokens", {"name": "x"}, content_type="application/json"
    )
    assert_unauthenticated(response)


def test_token_writes_need_no_csrf_token(county):
    """Browsers never attach a bearer header by themselves, so a token request cannot be forged cross-site."""
    _token, key = api_token_create(
        actor=None, user=county.user("justice_bureau", "county"), name="司法局系统"
    )
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.post(
        f"{API}/certificates/999999/revoke", {"reason": "测试"}, content_type="application/json"
    )
    assert response.status_code == 404  # authenticated and past CSRF; the id does not exist
