"""Admin views of the powers catalogue and grant lists: read-only lists and searches.

Every change goes through the pages, whose services check the workflow (a published version never
changes) and write the record event; the admin is for looking things up.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from zhifa.powers.models import (
    CapacityAssessment,
    CapacityRating,
    Claim,
    GrantEntry,
    GrantList,
    GrantStep,
    GuidanceList,
    PowerItem,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(PowerItem)
class PowerItemAdmin(ReadOnly):
    list_display = ("code", "name", "power_type", "domain", "original_subject", "is_active")
    list_filter = ("power_type", "domain", "is_active")
    search_fields = ("code", "name", "keywords", "basis_text")


@admin.register(GuidanceList)
class GuidanceListAdmin(ReadOnly):
    list_display = ("name", "region", "published_on", "document")
    search_fields = ("name", "document")


class StepInline(admin.TabularInline):
    model = GrantStep
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "township", "actor", "comment", "at")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(GrantList)
class GrantListAdmin(ReadOnly):
    list_display = ("title", "county", "number", "status", "effective_from")
    list_filter = ("status",)
    search_fields = ("title", "document", "county__name")
    inlines = [StepInline]


@admin.register(GrantEntry)
class GrantEntryAdmin(ReadOnly):
    list_display = ("grant_list", "item", "township")
    search_fields = ("item__code", "item__name", "township__name")
    list_select_related = ("grant_list", "item", "township")


@admin.register(Claim)
class ClaimAdmin(ReadOnly):
    list_display = ("township", "item", "grant_list", "claimed_on", "withdrawn_on")
    search_fields = ("item__code", "item__name", "township__name")
    list_select_related = ("grant_list", "item", "township")


@admin.register(CapacityAssessment)
class CapacityAssessmentAdmin(ReadOnly):
    list_display = ("title", "county", "grant_list", "period_start", "period_end", "status")
    list_filter = ("status",)
    search_fields = ("title", "county__name")
    list_select_related = ("county", "grant_list")


@admin.register(CapacityRating)
class CapacityRatingAdmin(ReadOnly):
    list_display = ("assessment", "township", "item", "rating", "judgement", "proposal")
    list_filter = ("rating", "judgement", "proposal")
    search_fields = ("item__code", "item__name", "township__name")
    list_select_related = ("assessment", "township", "item")
