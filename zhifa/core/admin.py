"""Django admin for core: everything here is read-only, because each write belongs to a service.

- Events (全过程记录, APL Art. 47; GO118 (九) tamper-proof storage): nobody, superusers included, may
  add, change or delete one; the admin only lists and shows them.
- Holiday tables are entered on the calendar page (core.services.calendar), which records the change
  and clears the calendar cache; number series are gap-free counters that an edit would break (issue 2,
  item 8); API tokens are created and revoked through core.services.tokens (revoking is offered here
  as an action that calls the service).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import ServiceError
from zhifa.core.models import ApiToken, CalendarDay, CalendarYear, Event, NumberSeries
from zhifa.core.services.tokens import api_token_revoke


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listing and viewing only: no add, change or delete for anyone (so every field shows read-only)."""

    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor", "action", "object_type", "object_id", "short_hash")
    list_filter = ("object_type", "action", "occurred_at")
    # Exact matches only: they use the indexes even with millions of events.
    search_fields = ("=object_id", "=action")
    list_select_related = ("actor",)
    ordering = ("-seq",)
    list_per_page = 50
    show_full_result_count = False
    fields = (
        "seq",
        "occurred_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "data",
        "prev_hash",
        "hash",
    )

    @admin.display(description=gettext_lazy("哈希"))
    def short_hash(self, event: Event) -> str:
        return event.hash[:12]


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "notice", "complete", "entered_by", "updated_at")
    list_filter = ("complete",)


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ("key", "last")
    search_fields = ("key",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("key_hash",)  # only the hash is stored, but it has no business on a page either
    actions = ("revoke",)

    @admin.action(description=gettext_lazy("撤销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                api_token_revoke(actor=request.user, token=token)
            except ServiceError as exc:
                self.message_user(request, f"{token}: {exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("已撤销 %(count)d 个令牌。") % {"count": done}, messages.SUCCESS)
