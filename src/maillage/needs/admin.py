from django.contrib import admin

from maillage.core.admin import ReadOnlyAdmin

from .models import Need, ReferenceCounter, SharedNeed


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    """Needs change through the desk (their services write the journal): read-only here."""

    list_display = ["reference", "title", "status", "channel", "owner", "due_at", "created_at"]
    list_filter = ["status", "channel", "dimension"]
    search_fields = ["reference", "title"]
    date_hierarchy = "created_at"


@admin.register(SharedNeed)
class SharedNeedAdmin(admin.ModelAdmin):
    list_display = ["title", "dimension", "created_at", "archived_at"]
    list_filter = ["dimension"]
    search_fields = ["title"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last"]

    def has_change_permission(self, request, obj=None):
        return False
