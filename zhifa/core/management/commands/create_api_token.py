"""`manage.py create_api_token <username> --name NAME [--days N]`: a token for an integration.

Prints the key once on stdout; only its SHA-256 is stored, so a lost key cannot be shown again
(revoke it and create another).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhifa.core.errors import ServiceError
from zhifa.core.services.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 12345热线对接")
        parser.add_argument("--days", type=int, default=365, help="validity in days (0: never expires)")

    def handle(self, *args: Any, username: str, name: str, days: int, **options: Any) -> None:
        if days < 0:
            raise CommandError("--days must be 0 or more")
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        try:
            # actor=None: the command line, run by whoever operates the server.
            token, raw_key = api_token_create(actor=None, user=user, name=name, expires_at=expires_at)
        except ServiceError as exc:
            raise CommandError(f"{exc.field or ''}: {exc.message}") from exc
        when = token.expires_at.isoformat() if token.expires_at else "never"
        self.stderr.write(
            f"token {token.prefix}… for {username}, expires {when}; the key is shown only once:"
        )
        self.stdout.write(raw_key)
