"""The workshops' API: the list of workshops, past and upcoming, and their results."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from maillage.api.auth import optional_bearer
from maillage.api.problems import Forbidden, answers

from .models import Grade, Workshop
from .results import results

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


class GradeLevel(Schema):
    value: int
    label: str


class CriterionResultOut(Schema):
    criterion: str
    profile: list[int] = Field(
        description="Nombre de chaque mention, de « À rejeter » à « Excellent »"
    )
    majority_grade: GradeLevel
    rank: int


class ScenarioResultOut(Schema):
    scenario: int
    title: str
    rank: int
    majority_grade: GradeLevel
    profile: list[int]
    criteria: list[CriterionResultOut]


class ResultsOut(Schema):
    workshop: int
    revealed: bool
    scale: list[GradeLevel]
    scenarios: list[ScenarioResultOut]


def _level(value: int) -> dict:
    return {"value": value, "label": str(Grade.Value(value).label)}


@router.get(
    "/{int:workshop_id}/results",
    response=ResultsOut,
    auth=optional_bearer,
    summary="Les résultats d'un atelier (jugement majoritaire)",
    openapi_extra=answers(403),
)
def workshop_results(request: HttpRequest, workshop_id: int):
    """Per scenario: its rank, its majority grade and its merit profile, overall (all the
    criteria pooled) and per criterion. Public once revealed; before, to the lab's team only.
    A grade a participant did not give counts as « À rejeter »."""
    workshop = get_object_or_404(Workshop.objects.prefetch_related("criteria"), pk=workshop_id)
    caller = getattr(request, "auth", None)
    is_team = caller not in (None, True) and caller.is_facilitator
    if workshop.results_revealed_at is None and not is_team:
        raise Forbidden("Les résultats ne sont pas encore montrés.")
    labels = {c.pk: c.label for c in workshop.criteria.all()}
    return {
        "workshop": workshop.pk,
        "revealed": workshop.results_revealed_at is not None,
        "scale": [_level(v) for v in Grade.Value.values],
        "scenarios": [
            {
                "scenario": r.scenario_id, "title": r.title, "rank": r.rank,
                "majority_grade": _level(r.median), "profile": r.overall,
                "criteria": [
                    {"criterion": labels[c], "profile": r.by_criterion[c],
                     "majority_grade": _level(r.median_by_criterion[c]),
                     "rank": r.rank_by_criterion[c]}
                    for c in labels
                ],
            }
            for r in results(workshop)
        ],
    }  # fmt: skip
