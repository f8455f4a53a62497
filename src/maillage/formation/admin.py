from django import forms
from django.contrib import admin

from maillage.core.admin import ReadOnlyAdmin
from maillage.core.errors import DomainError

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


class SessionForm(forms.ModelForm):
    """What the database would refuse, said on the field: never fewer seats than people
    seated, a minimum within the seats, an end after the start."""

    def clean(self):
        data = super().clean()
        session = Session(**{name: data.get(name) for name in ("starts_at", "ends_at",
                                                               "capacity", "minimum")})  # fmt: skip
        if None in (session.starts_at, session.ends_at, session.capacity, session.minimum):
            return data
        seated = self.instance.registrations.filter(seat__isnull=False).count() \
            if self.instance.pk else 0  # fmt: skip
        try:
            trainings.check_plan(session, seated=seated)
        except DomainError as refused:
            field = refused.code if refused.code in self.fields else None
            self.add_error(field, refused.message)
        return data


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """Sessions are planned here too (the team's page is /formations/equipe/); their seats
    follow their capacity."""

    form = SessionForm
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
