from django.contrib import admin

from maillage.core.admin import ReadOnlyAdmin

from . import trainings
from .models import Assertion, MethodCard, Module, Registration, Session, TrainingPath


@admin.register(MethodCard)
class MethodCardAdmin(admin.ModelAdmin):
    list_display = ["name", "goal", "phase", "minutes_min", "minutes_max", "people_min",
                    "people_max"]  # fmt: skip
    list_filter = ["goal", "phase", "dimensions"]
    search_fields = ["name", "purpose"]
    filter_horizontal = ["chains_with", "dimensions"]
    prepopulated_fields = {"slug": ["name"]}


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 1  # a plain list of the cards: the autocomplete widget fails on a bad value sent back


@admin.register(TrainingPath)
class TrainingPathAdmin(admin.ModelAdmin):
    list_display = ["name", "hours", "dimension", "archived_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ModuleInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """Sessions are planned here; their seats follow their capacity."""

    list_display = ["path", "starts_at", "capacity", "minimum", "cancelled_at"]
    list_filter = ["path"]
    filter_horizontal = ["trainers"]
    exclude = ["cancelled_at", "cancel_reason", "reminded_at"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        trainings.sync_seats(form.instance)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Registrations change through the trainings' pages (their journal is written there)."""

    list_display = ["name", "session", "status", "attended", "created_at"]
    list_filter = ["status"]


@admin.register(Assertion)
class AssertionAdmin(ReadOnlyAdmin):
    list_display = ["recipient_name", "path", "issued_on", "revoked_at"]
