"""The workshops' API: the list of workshops, past and upcoming."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from .models import Workshop

router = Router(tags=["ateliers"])


class WorkshopOut(Schema):
    id: int
    question: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_label: str = Field(alias="get_status_display")
    place: int | None = Field(None, alias="place_id")
    shared_need: int | None = Field(None, alias="shared_need_id")
    capacity: int
    criteria: list[str]
    url: str = Field(alias="get_absolute_url")

    @staticmethod
    def resolve_criteria(obj: Workshop) -> list[str]:
        return [c.label for c in obj.criteria.all()]


class WorkshopPage(Schema):
    count: int
    items: list[WorkshopOut]


class WorkshopFilters(Schema):
    when: Literal["a-venir", "passes"] | None = Field(None, description="À venir ou passés")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


@router.get("", response=WorkshopPage, summary="Lister les ateliers")
def list_workshops(request: HttpRequest, filters: Query[WorkshopFilters]):
    """Public: past and upcoming workshops with their status (cancelled ones included)."""
    workshops = Workshop.objects.prefetch_related("criteria")
    if filters.when == "a-venir":
        workshops = workshops.upcoming()
    elif filters.when == "passes":
        workshops = workshops.past()
    else:
        workshops = workshops.order_by("-starts_at", "-pk")
    window = workshops[filters.offset : filters.offset + filters.limit]
    return {"count": workshops.count(), "items": list(window)}
