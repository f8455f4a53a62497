"""Where the lab sets its permanence's weekly openings and the médiateurs' absences; the slots
follow (published every night, and at once after a change here)."""

from django.contrib import admin

from maillage.core.admin import ReadOnlyAdmin

from . import agenda
from .models import Absence, Accompaniment, Appointment, Beneficiary, Opening, Participation, Slot


class Publishes(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        agenda.publish()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        agenda.publish()


@admin.register(Opening)
class OpeningAdmin(Publishes):
    list_display = ["weekday", "start", "minutes", "count", "mediator", "place", "starts_on",
                    "ends_on", "archived_at"]  # fmt: skip
    list_filter = ["weekday", "mediator"]


@admin.register(Absence)
class AbsenceAdmin(Publishes):
    list_display = ["mediator", "start", "end", "why"]
    list_filter = ["mediator"]


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "minutes", "mediator", "place", "withdrawn_at"]
    list_filter = ["mediator"]
    date_hierarchy = "starts_at"


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    """Appointments change through the desk's pages (their journal is written there)."""

    list_display = ["slot", "status", "channel", "created_at"]
    list_filter = ["status", "channel"]


@admin.register(Accompaniment)
class AccompanimentAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "duration", "mediator", "archived_at"]
    list_filter = ["kind", "mediator"]
    date_hierarchy = "date"


@admin.register(Beneficiary)
class BeneficiaryAdmin(ReadOnlyAdmin):
    """People accompanied change through the médiation's pages (their journal is there)."""

    list_display = ["pk", "age_band", "gender", "commune_code", "created_at", "contact_erased_at"]
    list_filter = ["age_band", "gender"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["accompaniment", "beneficiary", "first"]
