from django.contrib import admin

from .models import Invitation, Membership, Network, OpeningPeriod, Organisation, Person, Place


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["person", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "siret", "archived_at"]
    list_filter = ["kind", "networks", "dimensions", "archived_at"]
    search_fields = ["name", "siret", "rna", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["networks", "dimensions"]
    inlines = [MembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        organisation = form.instance
        organisation.refresh_search_text()
        organisation.save(update_fields=["search_text"])


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "user", "neighbourhood", "archived_at"]
    search_fields = ["first_name", "last_name", "user__email"]
    raw_id_fields = ["user"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "role", "title"]
    list_filter = ["role"]
    raw_id_fields = ["person", "organisation"]


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "organisation"]
    list_filter = ["kind"]
    raw_id_fields = ["organisation"]
    inlines = [OpeningPeriodInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at", "revoked_at"]
    raw_id_fields = ["organisation", "invited_by"]
    readonly_fields = ["token"]
