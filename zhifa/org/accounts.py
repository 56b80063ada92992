"""Login accounts of people: user-name rules, password rules in Chinese, creating the account.

Shared by the person form and the people import, so both say the same thing about the same input.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

USERNAME = re.compile(r"^[A-Za-z0-9._-]+$")
USERNAME_MAX = get_user_model()._meta.get_field("username").max_length


def username_problem(username: str) -> str | None:
    """Why `username` cannot be used (format or taken), or None."""
    if len(username) > USERNAME_MAX or not USERNAME.match(username):
        return _("只能包含字母、数字及 . _ -，最长%(n)d个字符") % {"n": USERNAME_MAX}
    if get_user_model().objects.filter(username__iexact=username).exists():
        return _("用户名“%(name)s”已存在") % {"name": username}
    return None


def password_message(error: ValidationError) -> str:
    # Django's Chinese catalogue lacks the plural form of the length message; say it in Chinese here.
    if error.code == "password_too_short" and error.params:
        return _("密码太短，至少需要%(n)d个字符") % {"n": error.params["min_length"]}
    return " ".join(error.messages)


def password_problem(password: str, username: str) -> str | None:
    """Why `password` fails the password rules (AUTH_PASSWORD_VALIDATORS), or None."""
    try:
        validate_password(password, user=get_user_model()(username=username))
    except ValidationError as exc:
        return "；".join(password_message(e) for e in exc.error_list)
    return None


def create_account(username: str, password: str = ""):
    """A new user; without a password it cannot log in until an administrator sets one."""
    return get_user_model().objects.create(
        username=username, password=make_password(password) if password else make_password(None)
    )
