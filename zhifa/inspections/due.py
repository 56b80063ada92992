"""Which inspection items are due for which subject in a plan's period (issue 7 points 2 and 5).

An item applies to a subject when the item is active and the subject's industry is among the item's
industries. Whether an applicable item is due follows the item's `FrequencyRule` for the subject's risk
level:

- EVERY: due (the rule asks each subject to be checked once in the cycle; a joint plan covers a cycle);
- SAMPLE: due when a deterministic hash of (plan seed, item code, subject USCC) falls below the ratio;
- no rule for the risk level: not due (the catalogue did not ask for any check; nothing is invented).

Why a hash and not a random generator: the sample must be reproducible and checkable. Anyone holding the
plan's seed (stored on the JointPlan) and the register can recompute exactly which subjects were sampled
for which item, as for the double-random draws (GO118 (四)(五)). Each (item, subject) decision depends
only on its own three values, so adding or removing another subject, or reordering the register, changes
nobody else's outcome; and different items sample independently. The ratio used is never below the rule's
floor (issue 7: "sampling ratios never fall below the floor set by the rules"); the database refuses such
rules already and this module takes the larger of the two anyway.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from zhifa.inspections.models import FrequencyMode, FrequencyRule, InspectionItem, Subject

# 2**64: the first 8 bytes of the SHA-256 digest, read as an integer, give a fraction in [0, 1).
_SCALE = 1 << 64


@dataclass(frozen=True)
class RuleView:
    """The part of a frequency rule the due computation needs."""

    mode: str
    ratio: Decimal
    floor: Decimal = Decimal("0")

    @property
    def effective_ratio(self) -> Decimal:
        return max(self.ratio, self.floor)


def sample_fraction(seed: str, item_code: str, uscc: str) -> Decimal:
    """A reproducible number in [0, 1) for (seed, item, subject): SHA-256 of the three, first 64 bits."""
    message = "\x1f".join((seed, item_code, uscc)).encode("utf-8")
    value = int.from_bytes(hashlib.sha256(message).digest()[:8], "big")
    return Decimal(value) / Decimal(_SCALE)


def is_sampled(seed: str, item_code: str, uscc: str, ratio: Decimal) -> bool:
    """Whether the subject falls in the item's sample of share `ratio` for this seed."""
    if ratio >= 1:
        return True
    if ratio <= 0:
        return False
    return sample_fraction(seed, item_code, uscc) < ratio


def is_due(rule: RuleView | None, *, seed: str, item_code: str, uscc: str) -> bool:
    """Apply one frequency rule to one (item, subject) pair (see the module docstring)."""
    if rule is None:
        return False
    if rule.mode == FrequencyMode.EVERY:
        return True
    if rule.mode == FrequencyMode.SAMPLE:
        return is_sampled(seed, item_code, uscc, rule.effective_ratio)
    return False


@dataclass(frozen=True)
class ItemView:
    """An item as the due computation sees it: code, industries and rules by risk level."""

    id: int
    code: str
    department_id: int
    industry_ids: frozenset[int]
    rules: dict[str, RuleView]


def load_items(items: Iterable[InspectionItem]) -> list[ItemView]:
    """Active items with their industries and frequency rules (prefetched: three queries in all)."""
    queryset = (
        InspectionItem.objects.filter(pk__in=[i.pk for i in items], is_active=True)
        .prefetch_related("industries")
        .order_by("code")
    )
    found = list(queryset)
    rules: dict[int, dict[str, RuleView]] = defaultdict(dict)
    for rule in FrequencyRule.objects.filter(item__in=found):
        rules[rule.item_id][rule.risk_level] = RuleView(rule.mode, rule.ratio, rule.floor)
    return [
        ItemView(
            id=item.pk,
            code=item.code,
            department_id=item.department_id,
            industry_ids=frozenset(ind.pk for ind in item.industries.all()),
            rules=dict(rules.get(item.pk, {})),
        )
        for item in found
    ]


def due_items(subject: Subject, items: Iterable[ItemView], seed: str) -> list[ItemView]:
    """The items due for `subject`: applicable (industry, active) and due under the risk level's rule."""
    if not subject.is_active:
        return []
    return [
        item
        for item in items
        if subject.industry_id in item.industry_ids
        and is_due(item.rules.get(subject.risk_level), seed=seed, item_code=item.code, uscc=subject.uscc)
    ]


def due_map(subjects: Iterable[Subject], items: Iterable[ItemView], seed: str) -> dict[int, list[ItemView]]:
    """Subject id -> its due items, for subjects with at least one due item."""
    items = list(items)
    result: dict[int, list[ItemView]] = {}
    for subject in subjects:
        due = due_items(subject, items, seed)
        if due:
            result[subject.pk] = due
    return result
