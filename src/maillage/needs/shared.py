"""What a shared need gathers, counted for its public page (never any personal data)."""

from django.db.models import Count, Q

from .models import Need, SharedNeed


def annotate_counts(shared_needs):
    return shared_needs.annotate(
        people=Count("needs", filter=Q(needs__organisation__isnull=True)),
        organisations=Count("needs__organisation", distinct=True),
        total=Count("needs"),
    )


def breakdown(shared: SharedNeed) -> dict:
    needs = Need.objects.filter(shared_need=shared)
    by_neighbourhood = (
        needs.exclude(neighbourhood="")
        .values("neighbourhood")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    by_dimension = (
        needs.filter(dimension__isnull=False)
        .values("dimension__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    by_status = needs.values("status").annotate(n=Count("pk")).order_by("-n")
    return {
        "neighbourhoods": list(by_neighbourhood),
        "dimensions": list(by_dimension),
        "statuses": [(Need.Status(row["status"]).label, row["n"]) for row in by_status],
    }
