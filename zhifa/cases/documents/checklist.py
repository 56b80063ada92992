"""The legal review checklist of GO118 (十三) as the opinion (法制审核意见书) prints it.

The checks themselves (keys, labels, how a pass or a failure reads) are defined once, in
zhifa.cases.review_checklist.CHECKS; LegalReview.answers maps each key to {"passed": bool, "opinion": str}.
"""

from __future__ import annotations

from zhifa.cases.review_checklist import CHECKS

REVIEW_CHECKS: tuple[tuple[str, object], ...] = tuple((check.key, check.label) for check in CHECKS)
REVIEW_CHECK_KEYS = tuple(key for key, _label in REVIEW_CHECKS)


def checklist_rows(answers: dict | None) -> list[dict]:
    """Every check with its answer, in the guideline's order; [] unless every check is answered."""
    answers = answers or {}
    rows = []
    for check in CHECKS:
        answer = answers.get(check.key)
        if not isinstance(answer, dict) or not isinstance(answer.get("passed"), bool):
            return []
        rows.append(
            {
                "key": check.key,
                "label": str(check.label),
                "passed": answer["passed"],
                "result": str(check.pass_label if answer["passed"] else check.fail_label),
                "opinion": str(answer.get("opinion") or "").strip(),
            }
        )
    return rows
