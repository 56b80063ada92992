"""A small generic pattern for the organisation pages: list, detail and create/edit of one entity.

Each entity is described once (`Entity`: its model, form, services, list columns, detail fields);
the three views below serve them all. Reads go through scoping (404 outside the user's scope);
writes need Action.EDIT_ORG on the object and go through the entity's services (403 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhifa.core.errors import ServiceError
from zhifa.org.policies import Action, user_can
from zhifa.org.scoping import get_visible_or_404
from zhifa.org.selectors.structure import editable

PAGE_SIZE = 50


@dataclass(frozen=True)
class Link:
    """A value shown as a link (to a detail page)."""

    text: Any
    url: str


@dataclass(frozen=True)
class Column:
    """A list column: its header and how to get the cell value (text, Link or a list of Links)."""

    label: Promise | str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Filter:
    """A select filter on a list page: GET parameter, label, and (value, label) choices."""

    name: str
    label: Promise | str
    choices: list[tuple[Any, Any]]


@dataclass(frozen=True)
class Entity:
    """Everything the generic views need to know about one kind of organisation object."""

    key: str  # URL name prefix: "<key>-list", "<key>-detail", "<key>-create", "<key>-edit"
    model: type[Model]
    label: Promise | str
    label_plural: Promise | str
    form_class: type
    create: Callable[..., Model]
    update: Callable[..., Model]
    instance_arg: str  # the update service's keyword for the object, e.g. "region"
    list_selector: Callable[[Any, dict[str, str]], QuerySet]  # (user, GET parameters) -> rows
    columns: tuple[Column, ...]
    detail_fields: Callable[[Any, Any], list[tuple[Any, Any]]]  # (obj, user) -> [(label, value)]
    detail_queryset: Callable[[], QuerySet] | None = None  # default: all rows of `model`
    filters: Callable[[Any], list[Filter]] = field(default=lambda user: [])
    icon: str = "bi-diagram-3"

    def queryset(self) -> QuerySet:
        return self.detail_queryset() if self.detail_queryset else self.model._default_manager.all()


def detail_link(entity_key: str, obj: Any, text: Any = None) -> Link | None:
    """A link to an object's detail page (None for no object)."""
    if obj is None:
        return None
    return Link(text if text is not None else str(obj), reverse(f"{entity_key}-detail", args=[obj.pk]))


def links(entity_key: str, objs: Iterable[Any]) -> list[Link]:
    return [Link(str(obj), reverse(f"{entity_key}-detail", args=[obj.pk])) for obj in objs]


def can_edit(user: Any, obj: Model) -> bool:
    """EDIT_ORG on the object (policies.user_can), within the user's own area (see `editable`)."""
    if not user_can(user, Action.EDIT_ORG, obj):
        return False
    return editable(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def require_edit(user: Any, obj: Model | None = None) -> None:
    """403 for a user who may read but not change (objects are fetched through scoping first: 404)."""
    allowed = user_can(user, Action.EDIT_ORG) if obj is None else can_edit(user, obj)
    if not allowed:
        raise PermissionDenied


def as_links(value: Any) -> list[Link]:
    """A shown value as a list of Links (url "" for plain text), so one template fragment shows them all."""
    if value is None or value == "":
        return []
    if isinstance(value, Link):
        return [value]
    if isinstance(value, list | tuple):
        return [item for part in value for item in as_links(part)]
    return [Link(value, "")]


def _filter_options(entity: Entity, user: Any, params: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "name": f.name,
            "label": f.label,
            "options": [(value, label, str(value) == params.get(f.name, "")) for value, label in f.choices],
        }
        for f in entity.filters(user)
    ]


@login_required
def list_view(request: HttpRequest, entity: Entity) -> HttpResponse:
    """The scoped list of an entity, filtered by GET parameters, 50 rows a page."""
    params = {key: value.strip() for key, value in request.GET.items()}
    rows = entity.list_selector(request.user, params)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    table = [(obj, [as_links(column.value(obj)) for column in entity.columns]) for obj in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/structure_list.html",
        {
            "entity": entity,
            "page": page,
            "table": table,
            "filters": _filter_options(entity, request.user, params),
            "params": params,
            "query": query.urlencode(),
            "can_create": user_can(request.user, Action.EDIT_ORG),
        },
    )


@login_required
def detail_view(request: HttpRequest, entity: Entity, pk: int) -> HttpResponse:
    """One object the user may read (404 otherwise) with its fields and related objects."""
    obj = get_visible_or_404(entity.queryset(), request.user, pk=pk)
    return render(
        request,
        "org/structure_detail.html",
        {
            "entity": entity,
            "obj": obj,
            "fields": [(label, as_links(value)) for label, value in entity.detail_fields(obj, request.user)],
            "can_edit": can_edit(request.user, obj),
        },
    )


def run_form(request: HttpRequest, form: Any, call: Callable[[], Model]) -> Model | None:
    """Call the service with a valid bound form; show a ServiceError on its field and return None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call()
    except ServiceError as exc:
        form.add_service_error(exc)
        return None


@login_required
def form_view(request: HttpRequest, entity: Entity, pk: int | None = None) -> HttpResponse:
    """Create (pk None) or edit an object through its services."""
    obj = None
    if pk is not None:
        obj = get_visible_or_404(entity.queryset(), request.user, pk=pk)
    require_edit(request.user, obj)
    form = entity.form_class(request.POST or None, user=request.user, instance=obj)

    def call() -> Model:
        if obj is None:
            return entity.create(actor=request.user, **form.service_kwargs())
        return entity.update(
            actor=request.user,
            **{entity.instance_arg: obj},
            expected_version=form.cleaned_data.get("version"),
            **form.service_kwargs(),
        )

    saved = run_form(request, form, call)
    if saved is not None:
        messages.success(request, _("“%(name)s”已保存。") % {"name": str(saved)})
        return redirect(f"{entity.key}-detail", pk=saved.pk)
    return render(request, "org/structure_form.html", {"entity": entity, "obj": obj, "form": form})


def urls_for(entity: Entity, prefix: str) -> list:
    """The four URL patterns of an entity under `prefix` (e.g. "teams/")."""
    kwargs = {"entity": entity}
    return [
        path(prefix, list_view, kwargs, name=f"{entity.key}-list"),
        path(f"{prefix}new/", form_view, kwargs, name=f"{entity.key}-create"),
        path(f"{prefix}<int:pk>/", detail_view, kwargs, name=f"{entity.key}-detail"),
        path(f"{prefix}<int:pk>/edit/", form_view, kwargs, name=f"{entity.key}-edit"),
    ]
