"""Django admin for the organisation. Structure objects are saved and deleted through their services,
so an admin change writes the same record event as a page (APL Art. 47, 全过程记录); people,
certificates and secondments are read-only here because their pages own those writes.

An admin form first rehearses the service inside a savepoint that is rolled back, so a rule the
service enforces shows as a form error (Chinese, on its field) instead of a server error; the real
call then happens in `save_model`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from zhifa.core.errors import ServiceError, ValidationErrors
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatusChange,
    CommandCenter,
    Department,
    EnforcementDomain,
    GridCell,
    GridRevision,
    NumberTemplate,
    Person,
    Region,
    Role,
    Secondment,
    Team,
    Zone,
)
from zhifa.org.scoping import visible
from zhifa.org.services import grid as grid_services
from zhifa.org.services import people as people_services
from zhifa.org.services import structure as services
from zhifa.org.services import units
from zhifa.org.services.numbering import number_template_set


class _Rehearsal(Exception):
    """Raised to roll back a rehearsed service call."""


def rehearse(call: Callable[[], Any]) -> None:
    """Run `call` in a savepoint and roll it back: ServiceErrors surface, nothing stays written."""
    try:
        with transaction.atomic():
            call()
            raise _Rehearsal
    except _Rehearsal:
        pass


class ServiceAdminForm(forms.ModelForm):
    """Carries the version the form was loaded with, and rehearses the admin's service on validation."""

    # Not "version": that model field is non-editable, so a ModelForm may not list it.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    service_call: Callable[[forms.ModelForm], Any] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and hasattr(self.instance, "version"):
            self.fields["loaded_version"].initial = self.instance.version

    def validate_unique(self) -> None:
        """The services check uniqueness with their own messages."""

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or self.service_call is None:
            return
        try:
            rehearse(lambda: self.service_call(self))
        except ServiceError as exc:
            errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
            for error in errors:
                self.add_error(error.field if error.field in self.fields else None, error.message)


@dataclass(frozen=True)
class Ops:
    """The services of one model: create, update, delete (None: not deletable here), and the update
    service's keyword for the object."""

    create: Callable[..., Model]
    update: Callable[..., Model]
    instance_arg: str
    delete: Callable[..., None] | None = None


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes go through services; lists are scoped to the user."""

    form = ServiceAdminForm
    ops: Ops
    service_fields: tuple[str, ...]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible(super().get_queryset(request), request.user)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if self.ops.delete is None:
            actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.ops.delete is not None and super().has_delete_permission(request, obj)

    def call_service(self, request: HttpRequest, form: forms.ModelForm) -> Model:
        data = {name: form.cleaned_data.get(name) for name in self.service_fields}
        instance = form.instance
        if instance.pk is None:
            return self.ops.create(actor=request.user, **data)
        return self.ops.update(
            actor=request.user,
            **{self.ops.instance_arg: instance},
            expected_version=form.cleaned_data.get("loaded_version"),
            **data,
        )

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # The form rehearses this admin's service for this request's user.
        call = staticmethod(lambda form: self.call_service(request, form))
        return type(form_class.__name__, (form_class,), {"service_call": call})

    def save_model(self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool) -> None:
        saved = self.call_service(request, form)
        obj.pk = saved.pk
        if hasattr(saved, "version"):
            obj.version = saved.version

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """Many-to-many values were saved by the service; nothing else to do (no inlines)."""

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        try:
            self.ops.delete(actor=request.user, **{self.ops.instance_arg: obj})
        except ServiceError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and searches; the pages own the writes (they cascade, e.g. retiring revokes certificates)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        return visible(qs, request.user) if getattr(qs.model, "scope_rule", None) else qs


@admin.register(Region)
class RegionAdmin(ServiceAdmin):
    ops = Ops(services.region_create, services.region_update, "region", services.region_delete)
    service_fields = ("adcode", "name", "level", "parent")
    fields = (*service_fields, "loaded_version")
    list_display = ("adcode", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("adcode", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(EnforcementDomain)
class EnforcementDomainAdmin(ServiceAdmin):
    ops = Ops(services.enforcement_domain_create, services.enforcement_domain_update, "domain")
    service_fields = ("code", "name")
    fields = service_fields
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return EnforcementDomain.objects.all()  # shared reference data, not scoped

    def call_service(self, request: HttpRequest, form: forms.ModelForm) -> Model:
        data = {name: form.cleaned_data.get(name) for name in self.service_fields}
        if form.instance.pk is None:
            return self.ops.create(actor=request.user, **data)
        return self.ops.update(actor=request.user, domain=form.instance, **data)


@admin.register(Department)
class DepartmentAdmin(ServiceAdmin):
    ops = Ops(
        services.department_create, services.department_update, "department", services.department_delete
    )
    service_fields = ("name", "short_name", "kind", "region", "domains")
    fields = (*service_fields, "loaded_version")
    list_display = ("name", "short_name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("region",)
    filter_horizontal = ("domains",)
    list_select_related = ("region",)


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    ops = Ops(services.agency_create, services.agency_update, "agency", services.agency_delete)
    service_fields = ("name", "short_name", "kind", "region", "department", "uscc", "is_active")
    fields = (*service_fields, "loaded_version")
    list_display = ("name", "short_name", "kind", "region", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "uscc")
    autocomplete_fields = ("region", "department")
    list_select_related = ("region",)


@admin.register(Team)
class TeamAdmin(ServiceAdmin):
    ops = Ops(units.team_create, units.team_update, "team", units.team_delete)
    service_fields = ("name", "agency", "region", "parent")
    fields = (*service_fields, "loaded_version")
    list_display = ("name", "agency", "region", "parent")
    search_fields = ("name", "agency__name")
    autocomplete_fields = ("agency", "region", "parent")
    list_select_related = ("agency", "region", "parent")


@admin.register(Zone)
class ZoneAdmin(ServiceAdmin):
    ops = Ops(units.zone_create, units.zone_update, "zone", units.zone_delete)
    service_fields = ("name", "county", "townships", "leader", "deputy")
    fields = (*service_fields, "loaded_version")
    list_display = ("name", "county", "leader", "deputy")
    search_fields = ("name",)
    autocomplete_fields = ("county", "townships", "leader", "deputy")
    list_select_related = ("county", "leader", "deputy")


@admin.register(CommandCenter)
class CommandCenterAdmin(ServiceAdmin):
    ops = Ops(
        units.command_center_create,
        units.command_center_update,
        "command_center",
        units.command_center_delete,
    )
    service_fields = ("name", "region")
    fields = service_fields
    list_display = ("name", "region")
    search_fields = ("name",)
    autocomplete_fields = ("region",)


@admin.register(GridCell)
class GridCellAdmin(ServiceAdmin):
    ops = Ops(
        grid_services.grid_cell_create, grid_services.grid_cell_update, "cell", grid_services.grid_cell_delete
    )
    service_fields = ("code", "name", "level", "parent", "region", "geometry")
    fields = (*service_fields, "leader", "workers", "loaded_version", "min_x", "min_y", "max_x", "max_y")
    readonly_fields = ("min_x", "min_y", "max_x", "max_y")
    list_display = ("code", "name", "level", "region", "parent", "leader")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "region", "leader", "workers")
    list_select_related = ("region", "parent", "leader")

    def call_service(self, request: HttpRequest, form: forms.ModelForm) -> Model:
        """Save the cell; then, if the leader or workers changed, assign them (a second event)."""
        cell = super().call_service(request, form)
        data = form.cleaned_data
        if form.instance.pk is None:
            assign = bool(data.get("leader") or data.get("workers"))
        else:
            assign = bool({"leader", "workers"} & set(form.changed_data))
        if assign:
            cell = grid_services.grid_cell_assign(
                actor=request.user,
                cell=cell,
                leader=data.get("leader"),
                workers=data.get("workers") or [],
                expected_version=cell.version,
            )
        return cell


@admin.register(NumberTemplate)
class NumberTemplateAdmin(admin.ModelAdmin):
    """Document-number templates, saved through `number_template_set` (one record event)."""

    list_display = ("agency", "doc_type", "template")
    search_fields = ("agency__name", "doc_type", "template")
    autocomplete_fields = ("agency",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("agency", "doc_type") if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: NumberTemplate, form: forms.ModelForm, change: bool
    ) -> None:
        saved = number_template_set(
            actor=request.user,
            agency=obj.agency,
            doc_type=obj.doc_type,
            template=form.cleaned_data["template"],
        )
        obj.pk = saved.pk


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    """People are created and edited through person_create/person_update; status changes (transfer,
    retirement, which revoke certificates) stay on the person's page, so `status` is read-only here."""

    ops = Ops(people_services.person_create, people_services.person_update, "person")
    service_fields = ("name", "phone", "region", "agency", "team", "command_center", "roles")
    fields = (*service_fields, "user", "status", "status_date", "loaded_version")
    readonly_fields = ("user", "status", "status_date")
    list_display = ("name", "region", "agency", "team", "status")
    list_filter = ("status", "roles")
    search_fields = ("name", "phone", "user__username")
    autocomplete_fields = ("region", "agency", "team", "command_center")
    list_select_related = ("region", "agency", "team")

    def call_service(self, request: HttpRequest, form: forms.ModelForm) -> Model:
        data = {name: form.cleaned_data.get(name) for name in self.service_fields}
        data["roles"] = list(data["roles"] or [])
        if form.instance.pk is None:
            return people_services.person_create(actor=request.user, **data)
        return people_services.person_update(
            actor=request.user, person=form.instance, version=form.cleaned_data.get("loaded_version"), **data
        )


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("code", "__str__")


class StatusChangeInline(admin.TabularInline):
    model = CertificateStatusChange
    fields = ("status", "reason", "effective_date", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "holder", "issuer", "valid_from", "valid_to", "status")
    list_filter = ("status", "domains")
    search_fields = ("number", "holder__name")
    list_select_related = ("holder",)
    inlines = (StatusChangeInline,)


@admin.register(Secondment)
class SecondmentAdmin(ReadOnlyAdmin):
    list_display = ("person", "from_agency", "to_agency", "to_team", "start_date", "end_date")
    search_fields = ("person__name",)
    list_select_related = ("person", "from_agency", "to_agency", "to_team")


@admin.register(GridRevision)
class GridRevisionAdmin(ReadOnlyAdmin):
    """The grid revision counter (zhifa/org/grid_revision.py): shown, never edited by hand."""

    list_display = ("id", "value")
