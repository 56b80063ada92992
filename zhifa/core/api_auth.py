"""Authentication of the JSON API: bearer tokens for integrations, the Django session for the browser.

- `Authorization: Bearer <key>`: the key's SHA-256 is looked up; an unknown, revoked or expired key,
  or one whose user is deactivated, is refused with 401 at once (no fall-back to the session, so
  an integration with a bad key never acts as whoever happens to be logged in in the same browser).
- The Django session, with Django's CSRF check on unsafe methods (a page's fetch must send the
  X-CSRFToken header).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from zhifa.core.models import ApiToken
from zhifa.core.services.tokens import api_token_mark_used, hash_key

MAX_KEY_LENGTH = 200


def active_token(raw_key: str) -> ApiToken | None:
    """The token whose key is `raw_key` if it may be used now (not revoked, not expired, its user
    active), marked as used; None otherwise. Shared by bearer auth and Open311's api_key."""
    key = (raw_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    # Looked up by hash: no stored secret is compared character by character.
    api_token = ApiToken.objects.select_related("user", "user__person").filter(key_hash=hash_key(key)).first()
    now = timezone.now()
    if (
        api_token is None
        or api_token.revoked_at is not None
        or (api_token.expires_at is not None and api_token.expires_at <= now)
        or not api_token.user.is_active
    ):
        return None
    api_token_mark_used(api_token, now)
    return api_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer zf_...`: the user the token belongs to."""

    def __call__(self, request: HttpRequest) -> Any | None:
        header = request.headers.get(self.header, "")
        if header and header.split(" ", 1)[0].lower() == self.openapi_scheme and not header[7:].strip():
            raise AuthenticationError()  # "Bearer" with no key: refuse rather than try the session
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        api_token = active_token(token)
        if api_token is None:
            raise AuthenticationError()
        user = api_token.user
        request.user = user  # code that reads request.user sees the token's user, not AnonymousUser
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


class BrowserSessionAuth(SessionAuth):
    """The logged-in browser session; Django's CSRF check applies to unsafe methods."""

    def __call__(self, request: HttpRequest) -> Any | None:
        # Without a logged-in session there is nothing to protect: answer 401, not a CSRF 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


token_auth = TokenAuth()
session_auth = BrowserSessionAuth(csrf=True)
API_AUTH = [token_auth, session_auth]
