from django.contrib import admin

from .models import MethodCard


@admin.register(MethodCard)
class MethodCardAdmin(admin.ModelAdmin):
    list_display = ["name", "goal", "phase", "minutes_min", "minutes_max", "people_min",
                    "people_max"]  # fmt: skip
    list_filter = ["goal", "phase", "dimensions"]
    search_fields = ["name", "purpose"]
    filter_horizontal = ["chains_with", "dimensions"]
    prepopulated_fields = {"slug": ["name"]}
