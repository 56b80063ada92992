"""Data scoping: which rows a user may read. One mechanism for pages and API alike.

A `Scope` says which regions (by division-code prefix) and which agencies a user sees; a model
declares how its rows relate to regions and agencies with a `scope_rule` class attribute. The domain
apps compute a user's Scope (org.scoping.scope_for) and everyone filters through `apply_scope`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class ScopeRule:
    """How a model's rows are scoped.

    region: lookup path to a region division code (e.g. "region__adcode").
    agency: lookup path to an agency id (e.g. "agency_id"), or None.
    directory: reference data (departments, agencies) that everyone in the same county may read.
    extra: optional callable(scope) -> Q for further visibility (e.g. people seconded into a township).
    """

    region: str
    agency: str | None = None
    directory: bool = False
    extra: object | None = None


@dataclass(frozen=True)
class Scope:
    """What a user may read. `everything` is for superusers only."""

    everything: bool = False
    region_prefixes: tuple[str, ...] = ()
    agency_ids: frozenset[int] = field(default_factory=frozenset)
    county_prefixes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_prefixes or self.agency_ids or self.county_prefixes)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def scope_q(rule: ScopeRule, scope: Scope) -> Q | None:
    """The filter for `rule` under `scope`; None means no restriction."""
    if scope.everything:
        return None
    prefixes = scope.region_prefixes + (scope.county_prefixes if rule.directory else ())
    condition = Q(pk__in=[])
    for prefix in sorted(set(prefixes)):
        condition |= Q(**{f"{rule.region}__startswith": prefix})
    if rule.agency and scope.agency_ids:
        condition |= Q(**{f"{rule.agency}__in": sorted(scope.agency_ids)})
    if callable(rule.extra):
        extra = rule.extra(scope)
        if extra is not None:
            condition |= extra
    return condition


def apply_scope(queryset: QuerySet, scope: Scope) -> QuerySet:
    """Filter `queryset` to what `scope` may read; the model must declare `scope_rule`."""
    rule: ScopeRule | None = getattr(queryset.model, "scope_rule", None)
    if rule is None:
        raise TypeError(f"{queryset.model.__name__} declares no scope_rule")
    condition = scope_q(rule, scope)
    return queryset if condition is None else queryset.filter(condition)
