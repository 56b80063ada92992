"""Document content taken from the case's rows: evidence (APL Art. 46), statements (Art. 45), the latest
hearing (Art. 64), legal review (Art. 58; GO118 (十三)), collective discussion (Art. 57), extension
(Art. 60), transfer (Art. 22-27) and payment notice (Art. 67). Each returns JSON-safe values; a row
that does not exist yet gives no fields, and the caller's `extra` must then supply them.
"""

from __future__ import annotations

from typing import Any

from zhifa.cases.documents.checklist import checklist_rows
from zhifa.cases.documents.text import date_text, datetime_text, money_text, to_decimal
from zhifa.cases.models import Case, ReviewStatus


def _names(people: Any) -> str:
    """Names from a JSON list of strings or of {"name": ..., "role"/"title": ...} objects."""
    names = []
    for entry in people or []:
        if isinstance(entry, dict):
            name = str(entry.get("name") or "").strip()
            role = str(entry.get("role") or entry.get("title") or "").strip()
            if name:
                names.append(f"{name}（{role}）" if role else name)
        elif str(entry).strip():
            names.append(str(entry).strip())
    return "、".join(names)


def evidence_rows(case: Case) -> list[dict[str, Any]]:
    """The evidence list, in the order collected, each with its APL Art. 46 kind."""
    return [
        {
            "n": n,
            "kind": e.kind,
            "kind_label": str(e.get_kind_display()),
            "title": e.title,
            "description": e.description,
            "collected": datetime_text(e.collected_at),
            "place": e.place,
            "collectors": _names(e.collectors),
            "sha256": e.sha256,
        }
        for n, e in enumerate(case.evidence.order_by("collected_at", "id"), start=1)
    ]


def statement_rows(case: Case) -> list[dict[str, Any]]:
    """What the party stated and how it was re-examined (APL Art. 45: 复核, no heavier penalty)."""
    return [
        {
            "kind_label": str(s.get_kind_display()),
            "received_on": date_text(s.received_on),
            "content": s.content,
            "adopted": s.adopted,
            "reexamination": s.reexamination,
        }
        for s in case.statements.order_by("received_on", "id")
    ]


def hearing_fields(case: Case) -> dict[str, Any]:
    hearing = case.hearings.select_related("chair").order_by("-scheduled_at", "-id").first()
    if hearing is None:
        return {}
    return {
        "hearing_time": datetime_text(hearing.scheduled_at),
        "hearing_place": hearing.place,
        "hearing_chair": hearing.chair.name,
        "hearing_public": hearing.public,
        "hearing_held_at": datetime_text(hearing.held_at),
        "hearing_result": str(hearing.get_result_display()),
        "transcript": hearing.transcript,
    }


def review_fields(case: Case) -> dict[str, Any]:
    review = case.reviews.select_related("reviewer").order_by("-round", "-id").first()
    if review is None:
        return {"review_checks": []}
    return {
        "review_tier": str(review.get_tier_display()),
        "review_round": review.round,
        "review_checks": checklist_rows(review.answers),
        "review_result": "" if review.status == ReviewStatus.PENDING else str(review.get_status_display()),
        "review_opinion": review.opinion,
        "reviewer": review.reviewer.name if review.reviewer else "",
        "review_date": date_text(review.decided_at),
        "panel": _names(review.panel),
    }


def discussion_fields(case: Case) -> dict[str, Any]:
    discussion = case.discussions.order_by("-held_on", "-id").first()
    if discussion is None:
        return {}
    return {
        "discussion_date": date_text(discussion.held_on),
        "discussion_chair": discussion.chair,
        "attendees": _names(discussion.attendees),
        "conclusion": discussion.conclusion,
        "agreed": discussion.agreed,
    }


def extension_fields(case: Case) -> dict[str, Any]:
    extension = case.extensions.order_by("-approved_on", "-id").first()
    if extension is None:
        return {}
    return {
        "extension_days": extension.days,
        "extension_reason": extension.reason,
        "extension_approved_on": date_text(extension.approved_on),
        "by_discussion": extension.by_discussion,
        "decision_due_on": date_text(case.decision_due_on),
    }


def transfer_fields(case: Case) -> dict[str, Any]:
    transfer = case.transfers.select_related("to_agency").order_by("-transferred_on", "-id").first()
    if transfer is None:
        return {}
    return {
        "transfer_to": transfer.to_agency.name if transfer.to_agency else transfer.to_judiciary,
        "judiciary": bool(transfer.to_judiciary) and transfer.to_agency is None,
        "transfer_reason": transfer.reason,
        "transfer_on": date_text(transfer.transferred_on),
    }


def payment_notice_fields(case: Case) -> dict[str, Any]:
    notice = case.payment_notices.order_by("-issued_at", "-id").first()
    if notice is None:
        return {}
    return {
        "payment_code": notice.payment_code,
        "payment_amount": money_text(to_decimal(notice.amount)),
        "payment_due": date_text(notice.due_on),
    }
