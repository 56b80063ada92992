"""Test helpers for the JSON API: a client that sends a real bearer token, and list-response ids."""

from __future__ import annotations

from typing import Any

from django.test import Client

from zhifa.core.services.tokens import api_token_create

API = "/api/v1"


def token_client(user: Any, name: str = "测试集成") -> Client:
    """A Django test client that authenticates as `user` with a freshly created API token."""
    _token, raw_key = api_token_create(actor=None, user=user, name=name)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw_key}")


def ids(response: Any) -> list[int]:
    """The ids of a successful list response's items, in order."""
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]
