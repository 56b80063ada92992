"""The caller's own API tokens: list, create (the key is returned once) and revoke.

Only the browser session may manage tokens, never a token: a leaked or expiring key must not be able
to mint itself a successor.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zhifa.core.api_auth import session_auth
from zhifa.core.models import ApiToken
from zhifa.core.services.tokens import api_token_create, api_token_revoke

router = Router(tags=["tokens"], auth=[session_auth])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreateIn(Schema):
    name: str
    expires_at: datetime.datetime | None = None


class TokenCreatedOut(TokenOut):
    key: str


class ErrorBody(Schema):
    code: str
    field: str | None = None
    message: str


@router.get("", response=list[TokenOut], summary="我的API令牌")
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=request.auth).order_by("-created_at", "-id")  # type: ignore[attr-defined]


@router.post("", response={201: TokenCreatedOut, 400: ErrorBody}, summary="创建API令牌（密钥只显示一次）")
def create_token(request: HttpRequest, payload: TokenCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    token, raw_key = api_token_create(actor=user, user=user, name=payload.name, expires_at=payload.expires_at)
    data = TokenOut.from_orm(token).dict()
    return 201, {**data, "key": raw_key}


@router.post("/{id}/revoke", response={200: TokenOut, 400: ErrorBody, 404: ErrorBody}, summary="撤销API令牌")
def revoke_token(request: HttpRequest, id: int) -> Any:
    # Someone else's token is a 404, like a missing one.
    token = get_object_or_404(ApiToken, pk=id, user=request.auth)  # type: ignore[attr-defined]
    return api_token_revoke(actor=request.auth, token=token)  # type: ignore[attr-defined]
