"""Reading the power catalogue: the searchable list and one item.

The catalogue is public reference data (APL Art. 39: implementing body and basis are published), so it
is not scoped: every logged-in user reads all of it. Queries per page do not depend on the page size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from zhifa.org.models import EnforcementDomain
from zhifa.org.selectors.people import PAGE_SIZE_DEFAULT, clamp_page_size
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.numerals import to_chinese

MAX_TERMS = 5  # a search of many words costs one LIKE per word and field; more words add nothing


def power_item_queryset() -> QuerySet[PowerItem]:
    """Items with what list rows show (the domain), in one query."""
    return PowerItem.objects.select_related("domain")


def _filtered(
    q: str | None = None,
    power_type: str | None = None,
    domain: str | None = None,
    active: str | None = None,
) -> QuerySet[PowerItem]:
    items = power_item_queryset()
    for term in (q or "").split()[:MAX_TERMS]:
        items = items.filter(
            Q(code__icontains=term)
            | Q(name__icontains=term)
            | Q(keywords__icontains=term)
            | Q(basis_text__icontains=term)
        )
    if power_type:
        items = items.filter(power_type=power_type) if power_type in PowerType.values else items.none()
    if domain:
        items = items.filter(domain__code=domain)
    if active in ("1", "0"):
        items = items.filter(is_active=active == "1")
    return items.order_by("code", "id")


def power_item_list(
    user,
    *,
    q: str | None = None,
    power_type: str | None = None,
    domain: str | None = None,
    active: str | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = PAGE_SIZE_DEFAULT,
) -> Page:
    """One page of the catalogue, filtered.

    q: words (space separated) each found in the code, name, keywords or basis text; power_type: a
    PowerType value; domain: an EnforcementDomain code; active: "1" only active items, "0" only
    inactive, empty both. Unknown filter values match nothing, so a typo never shows more than asked.
    """
    items = _filtered(q, power_type, domain, active)
    return Paginator(items, clamp_page_size(page_size)).get_page(page)


def power_item_export_queryset(
    user,
    *,
    q: str | None = None,
    power_type: str | None = None,
    domain: str | None = None,
    active: str | None = None,
) -> QuerySet[PowerItem]:
    """Every item matching the list page's filters (same meaning as power_item_list), for export."""
    return _filtered(q, power_type, domain, active)


def power_item_detail(user, pk: int) -> PowerItem:
    """One item (404 when missing)."""
    return get_object_or_404(power_item_queryset(), pk=pk)


@dataclass
class ItemFilterOptions:
    power_types: list[tuple[str, str]]
    domains: list[EnforcementDomain]


def power_item_filter_options() -> ItemFilterOptions:
    """Choices for the filter bar: every power type and enforcement domain."""
    return ItemFilterOptions(
        power_types=list(PowerType.choices), domains=list(EnforcementDomain.objects.order_by("code"))
    )


def format_basis_ref(ref: dict) -> str:
    """A structured reference as statutes cite it: 《中华人民共和国消防法》第六十条第一款第（三）项."""
    text = f"《{ref['law']}》第{to_chinese(ref['article'])}条"
    if ref.get("paragraph"):
        text += f"第{to_chinese(ref['paragraph'])}款"
    if ref.get("item"):
        text += f"第（{to_chinese(ref['item'])}）项"
    return text
