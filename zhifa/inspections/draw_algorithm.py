"""The double-random draw algorithm "zhifa-draw-v1" (双随机抽取算法): pure, stdlib only.

Anyone can re-implement it from this description and check a published draw (GO118 (四), (六)):

1. Pools. ``subject_pool`` is a list of ``{"id", "uscc", "name", "conflicts": [person ids]}``;
   ``inspector_pool`` is a list of ``{"person", "name", "agency", "certificate", "domains": [codes]}``.
   ``canonical_pools`` serialises ``{"inspectors": inspector_pool, "subjects": subject_pool}`` as JSON
   with sorted keys, no whitespace (separators "," and ":") and non-ASCII characters kept (UTF-8).
   ``pool_hash`` is the lowercase hex SHA-256 of those UTF-8 bytes.
2. Commitment. Before the draw the organiser publishes ``commitment(seed)`` = hex SHA-256 of the
   seed's UTF-8 bytes; the seed itself is revealed only by the draw.
3. Subjects. Each subject gets the key hex SHA-256 of ``f"{seed}:{uscc}"``; subjects are sorted by
   (key, uscc) ascending and the first ``sample_size`` are drawn, in that order.
4. Inspectors. For each drawn subject, in draw order, ``per_subject`` inspectors (at least two, APL
   Art. 42) are picked one at a time from the pool minus the persons in the subject's ``conflicts``
   (recusal, APL Art. 43) and minus those already on the team. Each pick takes the candidate with the
   smallest tuple (agency already on this team ? 1 : 0, assignments so far in this draw,
   hex SHA-256 of ``f"{seed}:{uscc}:{certificate}"``, certificate): spread across agencies first, then
   the least loaded, then the seeded tie-break. The team is listed in pick order.
5. Result. One dict per drawn subject: ``{"subject": id, "uscc": uscc, "name": name, "inspectors":
   [{"person", "name", "agency", "certificate"}]}``. When fewer than ``per_subject`` candidates remain
   the team is short; callers check ``len(inspectors)``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

ALGORITHM = "zhifa-draw-v1"
MIN_PER_SUBJECT = 2  # APL Art. 42: at least two enforcement officers


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_pools(subject_pool: Sequence[dict[str, Any]], inspector_pool: Sequence[dict[str, Any]]) -> str:
    """The canonical JSON text of both pools (sorted keys, compact separators, UTF-8 kept)."""
    return json.dumps(
        {"inspectors": list(inspector_pool), "subjects": list(subject_pool)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def pool_hash(subject_pool: Sequence[dict[str, Any]], inspector_pool: Sequence[dict[str, Any]]) -> str:
    """Hex SHA-256 of `canonical_pools`: published at commitment, recomputed at the draw."""
    return _sha256(canonical_pools(subject_pool, inspector_pool))


def commitment(seed: str) -> str:
    """Hex SHA-256 of the seed: published before the draw, checked against the revealed seed."""
    return _sha256(seed)


def sample_size_for(pool_size: int, ratio: Decimal | float | str) -> int:
    """ceil(pool_size * ratio), at least 1 for a non-empty pool, at most the pool size."""
    if pool_size <= 0:
        return 0
    size = math.ceil(Decimal(pool_size) * Decimal(str(ratio)))
    return max(1, min(pool_size, size))


def run_draw(
    seed: str,
    subject_pool: Sequence[dict[str, Any]],
    inspector_pool: Sequence[dict[str, Any]],
    sample_size: int,
    per_subject: int = MIN_PER_SUBJECT,
) -> list[dict[str, Any]]:
    """Draw `sample_size` subjects and a team of `per_subject` inspectors for each (steps 3-5 above)."""
    if per_subject < MIN_PER_SUBJECT:
        raise ValueError("per_subject must be at least 2 (APL Art. 42)")
    ranked = sorted(subject_pool, key=lambda s: (_sha256(f"{seed}:{s['uscc']}"), s["uscc"]))
    chosen = ranked[: max(0, sample_size)]
    load: dict[Any, int] = {i["person"]: 0 for i in inspector_pool}
    result: list[dict[str, Any]] = []
    for subject in chosen:
        conflicts = set(subject.get("conflicts") or [])
        candidates = [i for i in inspector_pool if i["person"] not in conflicts]
        tie = {i["person"]: _sha256(f"{seed}:{subject['uscc']}:{i['certificate']}") for i in candidates}
        team: list[dict[str, Any]] = []
        agencies: set[Any] = set()
        while len(team) < per_subject:
            taken = {m["person"] for m in team}
            remaining = [i for i in candidates if i["person"] not in taken]
            if not remaining:
                break
            pick = min(
                remaining,
                key=lambda i: (
                    1 if i["agency"] in agencies else 0,
                    load[i["person"]],
                    tie[i["person"]],
                    i["certificate"],
                ),
            )
            team.append(
                {
                    "person": pick["person"],
                    "name": pick["name"],
                    "agency": pick["agency"],
                    "certificate": pick["certificate"],
                }
            )
            agencies.add(pick["agency"])
            load[pick["person"]] += 1
        result.append(
            {"subject": subject["id"], "uscc": subject["uscc"], "name": subject["name"], "inspectors": team}
        )
    return result
