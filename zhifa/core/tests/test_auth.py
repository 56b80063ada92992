"""Authentication: Argon2 hashing, lockout after repeated failures, session expiry (issue 2, point 5)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from zhifa.org.models import RoleCode
from zhifa.org.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2():
    user = get_user_model().objects.create(username="argon", password=make_password("a-Long-password-1"))
    assert user.password.startswith("argon2$")
    assert user.check_password("a-Long-password-1")


def test_login_with_right_password_reaches_home(client, county):
    user = county.user(RoleCode.OFFICER)
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_chinese_error(client, county):
    user = county.user(RoleCode.OFFICER)
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_lockout_after_repeated_failures_even_with_right_password(client, county):
    user = county.user(RoleCode.OFFICER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    # Another user from the same office (same IP) is not locked out.
    other = county.user(RoleCode.TEAM_LEADER)
    response = client.post(reverse("login"), {"username": other.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_session_expires_when_idle_and_at_browser_close(client, county):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # idle timeout, renewed on each request
    client.force_login(county.user(RoleCode.OFFICER))
    client.get(reverse("home"))
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    # An expired session is refused: simulate the idle time passing.
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_logout_requires_post_and_ends_session(client, county):
    client.force_login(county.user(RoleCode.OFFICER))
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
