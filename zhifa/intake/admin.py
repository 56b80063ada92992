"""Admin views of intake: read-only lists for looking things up.

Clues change only through the closed loop's services (pages and API), which check who may act and
record every step (APL Art. 47); categories through services/categories.py (each a record event).
Step time limits are configured here, and the admin's saves go through `step_limit_set` (one record
event each), like every other write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from zhifa.intake.models import Clue, ClueCategory, ClueStep, ClueTransfer, JointMeeting, StepLimit
from zhifa.intake.services.categories import step_limit_set
from zhifa.org.admin import Ops, ServiceAdmin
from zhifa.org.scoping import visible


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ScopedReadOnly(ReadOnly):
    """Rows of scoped models only within the staff member's own scope (superusers see all)."""

    def get_queryset(self, request: HttpRequest):
        return visible(super().get_queryset(request), request.user)


@admin.register(ClueCategory)
class ClueCategoryAdmin(ReadOnly):
    list_display = ("code", "name", "domain", "is_active", "sort")
    list_filter = ("is_active", "domain")
    search_fields = ("code", "name")
    filter_horizontal = ("items",)


def _limit_create(*, actor: Any, step: str, minutes: int, category: Any, priority: str) -> StepLimit:
    return step_limit_set(actor=actor, step=step, minutes=minutes, category=category, priority=priority or "")


def _limit_update(*, actor: Any, limit: StepLimit, minutes: int, **_ignored: Any) -> StepLimit:
    # Step, category and priority identify the limit and are read-only once saved: only minutes change.
    return step_limit_set(
        actor=actor, step=limit.step, minutes=minutes, category=limit.category, priority=limit.priority
    )


@admin.register(StepLimit)
class StepLimitAdmin(ServiceAdmin):
    """Time limits per step, category and priority (limits.py: the most specific wins)."""

    ops = Ops(create=_limit_create, update=_limit_update, instance_arg="limit")
    service_fields = ("step", "minutes", "category", "priority")
    fields = ("step", "category", "priority", "minutes")
    list_display = ("step", "category", "priority", "minutes")
    list_filter = ("step", "priority", "category")
    list_select_related = ("category",)

    def get_queryset(self, request: HttpRequest):
        return admin.ModelAdmin.get_queryset(self, request)  # configuration, not scoped data

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("step", "category", "priority") if obj is not None else ()


class StepInline(admin.TabularInline):
    model = ClueStep
    extra = 0
    can_delete = False
    fields = ("kind", "actor_name", "at", "due_at", "late", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Clue)
class ClueAdmin(ScopedReadOnly):
    list_display = ("code", "status", "category", "township", "source", "reported_at", "step_due_at")
    list_filter = ("status", "source", "category", "outside_grid")
    search_fields = ("code", "tracking_code", "text", "address")
    list_select_related = ("category", "township")
    date_hierarchy = "reported_at"
    exclude = ("client_key",)
    inlines = [StepInline]


@admin.register(ClueTransfer)
class ClueTransferAdmin(ScopedReadOnly):
    list_display = ("clue", "to_agency", "transferred_at")
    search_fields = ("clue__code", "to_agency__name")
    list_select_related = ("clue", "to_agency")


@admin.register(JointMeeting)
class JointMeetingAdmin(ScopedReadOnly):
    list_display = ("clue", "status", "lead_agency", "opened_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("clue__code",)
    list_select_related = ("clue", "lead_agency")
