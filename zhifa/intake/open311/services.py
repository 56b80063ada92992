"""Reporting a clue for an Open311 client: through clue_report_public, source "open311".

The clue is created by zhifa.intake.services.report.clue_report_public (placement in the grid, time
limit, report step, the record event `clue.report`), in the same transaction as the Open311 details
kept on its report step (`data["open311"]`): which API token submitted it (also in reporter_name,
"Open311:<token name>"), and what the client sent that a clue has no field for (first_name, last_name,
email, media_url as text, device_id, account_id, address_id, attributes). Those details are staff-only:
the public list never shows a step's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zhifa.core.models import ApiToken
from zhifa.intake.models import Clue, ClueStep, StepKind
from zhifa.intake.services.report import ClueInput, clue_report_public

REPORTER_PREFIX = "Open311:"
REPORTER_MAX = 50  # Clue.reporter_name


def reporter_name(api_token: ApiToken) -> str:
    """ "Open311:<token name>", cut to the field's 50 characters."""
    return (REPORTER_PREFIX + api_token.name)[:REPORTER_MAX]


@dataclass
class Submitted:
    clue: Clue
    created: bool  # False: a retry with the same Idempotency-Key returned the clue it created


def open311_request_create(
    *, api_token: ApiToken, data: ClueInput, details: dict[str, Any] | None = None
) -> Submitted:
    """Create the clue of an Open311 POST requests call (one transaction, one record event).

    `data.source` becomes "open311" and `data.reporter_name` names the token. A repeated
    `data.client_key` (built from the client's Idempotency-Key and the token) returns the clue it
    created, unchanged. Raises what clue_report_public raises (ServiceError / ValidationErrors).
    """
    data.source = "open311"
    data.reporter_name = reporter_name(api_token)
    existed = bool(data.client_key) and Clue.objects.filter(client_key=data.client_key).exists()
    with transaction.atomic():
        clue = clue_report_public(data=data)
        if existed:
            return Submitted(clue, False)
        kept = {"api_token": api_token.pk, "api_token_name": api_token.name, **(details or {})}
        ClueStep.objects.filter(clue=clue, kind=StepKind.REPORT).update(data={"open311": kept})
    return Submitted(clue, True)
