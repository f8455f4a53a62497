from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    ApiToken,
    CalendarFeed,
    Dimension,
    Email,
    IdempotencyKey,
    JournalEntry,
    ScheduledRun,
    TextMessage,
    TextOptOut,
    Thematique,
    User,
    WorkerHeartbeat,
)

_get_object = admin.ModelAdmin.get_object


def _get_object_by_key_unless_named(self, request, object_id, from_field=None):
    """Django reads an empty `_to_field=` as a field named "" and answers every change and
    delete page with a server error; an empty name means the primary key, as no name does."""
    return _get_object(self, request, object_id, from_field or None)


admin.ModelAdmin.get_object = _get_object_by_key_unless_named


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "role"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})
    ]


class ThematiqueInline(admin.TabularInline):
    model = Thematique
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    inlines = [ThematiqueInline]


@admin.register(Thematique)
class ThematiqueAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "dimension", "data_inclusion_code"]
    list_filter = ["dimension"]
    search_fields = ["name", "code", "data_inclusion_code"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["user"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their services (which keep the journal)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Who subscribed to their agenda, and when it was last read; each one withdraws their own
    (an administrator may remove one, a lost phone)."""

    list_display = ["user", "created_at", "last_read_at"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    """The journal is read-only: nothing that happened can be rewritten."""

    list_display = ["at", "verb", "subject_type", "subject_id", "actor"]
    list_filter = ["verb", "subject_type"]
    date_hierarchy = "at"


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["name", "day", "enqueued_at"]
    list_filter = ["name"]


class SeenOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(SeenOnly):
    """The answers kept hold requesters' tracking links: left out here."""

    list_display = ["created_at", "scope", "key", "status"]
    fields = list_display
    readonly_fields = fields
    search_fields = ["key"]


@admin.register(Email)
class EmailAdmin(SeenOnly):
    """The outbox: what went, what did not and why."""

    list_display = ["created_at", "to", "subject", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    search_fields = ["to", "subject"]
    fields = ["created_at", "to", "subject", "body", "sent_at", "attempts", "last_error"]
    readonly_fields = fields


@admin.register(TextMessage)
class TextMessageAdmin(SeenOnly):
    """The text messages' outbox: what went, what waits for the morning, what was dropped."""

    list_display = ["created_at", "to", "send_after", "sent_at", "skipped_at", "attempts"]
    list_filter = ["sent_at"]
    search_fields = ["to"]
    fields = [*list_display, "body", "last_error"]
    readonly_fields = fields


@admin.register(TextOptOut)
class TextOptOutAdmin(admin.ModelAdmin):
    """Numbers that asked for no more text messages (added here at the desk's request)."""

    list_display = ["phone", "created_at", "why"]
    search_fields = ["phone"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(SeenOnly):
    list_display = ["worker_id", "started_at", "seen_at"]
    fields = list_display
    readonly_fields = fields
