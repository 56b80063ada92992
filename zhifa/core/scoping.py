"""Data scoping: which rows a user may read. One mechanism for pages and API alike.

A `Scope` says which regions (by division-code prefix) and which agencies a user sees; a model
declares how its rows relate to regions and agencies with a `scope_rule` class attribute. The domain
apps compute a user's Scope (org.scoping.scope_for) and everyone filters through `apply_scope`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class ScopeRule:
    """How a model's rows are scoped.

    region: lookup path to a region division code (e.g. "region__adcode").
    agency: lookup path to an agency id (e.g. "agency_id"), or None.
    directory: reference data (departments, agencies) that everyone in the same county may read.
    extra: optional callable(scope) -> Q for further visibility (e.g. people seconded into a township).
    via: instead of the above, a foreign key whose target's rule decides (a certificate is visible when
        its holder is), filtered as `via IN (visible targets)` so each table uses its own indexes.
    """

    region: str = ""
    agency: str | None = None
    directory: bool = False
    extra: object | None = None
    via: str | None = None


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


def _related_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def _region_condition(model: type[Model], path: str, prefixes: list[str]) -> Q:
    """Rows whose region code lies under one of `prefixes`.

    For a path through a foreign key ("region__adcode") the filter is `region_id IN (SELECT id FROM
    region WHERE adcode BETWEEN ...)`: an indexed column of the scoped table, so the database can combine
    it with the other scope terms by index instead of scanning the table.
    """
    under = Q(pk__in=[])
    if path == "adcode":
        for prefix in prefixes:
            under |= Q(adcode__under=prefix)
        return under
    fk_path = path.removesuffix("__adcode")
    region_model = _related_model(model, fk_path)
    for prefix in prefixes:
        under |= Q(adcode__under=prefix)
    return Q(**{f"{fk_path}__in": region_model._default_manager.filter(under).values("pk")})


def scope_q(model: type[Model], rule: ScopeRule, scope: Scope) -> Q | None:
    """The filter for `model`'s `rule` under `scope`; None means no restriction."""
    if scope.everything:
        return None
    if rule.via:
        target = _related_model(model, rule.via)
        visible_targets = apply_scope(target._default_manager.all(), scope).values("pk")
        return Q(**{f"{rule.via}__in": visible_targets})
    prefixes = sorted(set(scope.region_prefixes + (scope.county_prefixes if rule.directory else ())))
    condition = Q(pk__in=[])
    if prefixes:
        condition |= _region_condition(model, rule.region, prefixes)
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
    condition = scope_q(queryset.model, rule, scope)
    return queryset if condition is None else queryset.filter(condition)
