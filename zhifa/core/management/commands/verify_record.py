"""`manage.py verify_record`: check the record's hash chain (全过程记录, APL Art. 47; GO118 (九)).

Exit status 0 when the chain is intact; otherwise 1, with the first broken link (its sequence number
and what is wrong) on stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.core.record import ALGORITHMS
from zhifa.core.verify import DEFAULT_BATCH, verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the record; report the first edited, deleted or reordered event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--algorithm", choices=ALGORITHMS, default=None, help="default: ZHIFA_RECORD_HASH"
        )
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="rows fetched per round trip")

    def handle(self, *args: Any, algorithm: str | None, batch: int, **options: Any) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        result = verify_chain(algorithm=algorithm, batch=batch)
        if not result.ok:
            # CommandError: message on stderr, exit status 1 (call_command raises it to the caller).
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
