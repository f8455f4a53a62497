"""The projects' API: the portfolio and a project with its group and the needs it answers
and its steps (counts and references of needs: never the requesters' words or contact)."""

from datetime import date, datetime
from typing import Literal

from django.db.models import F, Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from maillage.needs.models import Need

from .models import Project

router = Router(tags=["projets"])
Status = Literal["en-cours", "en-pause", "termine", "abandonne"]


class ProjectOut(Schema):
    id: int
    title: str
    purpose: str
    status: str
    status_label: str = Field(alias="get_status_display")
    dimensions: list[str]
    workshop: int | None = Field(None, alias="workshop_id")
    needs_count: int = Field(alias="answered")
    needs_resolved: int = Field(alias="resolved")
    created_at: datetime
    url: str = Field(alias="get_absolute_url")

    @staticmethod
    def resolve_dimensions(obj: Project) -> list[str]:
        return [d.code for d in obj.dimensions.all()]


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class MemberOut(Schema):
    name: str = Field(alias="person.full_name")
    role: str
    organisation: int | None = Field(None, alias="organisation_id")


class NeedRefOut(Schema):
    reference: str
    status: str
    dimension: str | None = Field(None, alias="dimension.code")


class StepOut(Schema):
    number: int
    goal: str
    status: str
    starts_on: date
    ends_on: date
    delivered: str
    reviewed_at: datetime | None


class ItemOut(Schema):
    id: int
    title: str
    step: int | None = Field(None, alias="step.number")
    column: str
    position: int
    due_on: date | None
    done_at: datetime | None
    needs: list[str]

    @staticmethod
    def resolve_needs(obj) -> list[str]:
        return [need.reference for need in obj.needs.all()]


class DecisionOut(Schema):
    title: str
    context: str
    options: str
    method: str
    taken_by: str
    decided_on: date


class ProjectDetailOut(ProjectOut):
    members: list[MemberOut]
    needs: list[NeedRefOut]
    steps: list[StepOut]
    items: list[ItemOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_items(obj: Project):
        items = obj.items.select_related("step").prefetch_related(
            Prefetch("needs", queryset=Need.objects.only("pk", "reference"))
        )
        return list(items.order_by(F("step__number").asc(nulls_last=True), "column", "position"))

    @staticmethod
    def resolve_decisions(obj: Project):
        return list(obj.decisions.all())

    @staticmethod
    def resolve_steps(obj: Project):
        return list(obj.steps.all())

    @staticmethod
    def resolve_members(obj: Project):
        return list(obj.members.active().select_related("person"))

    @staticmethod
    def resolve_needs(obj: Project):
        return list(obj.needs.select_related("dimension").order_by("reference"))


class ProjectFilters(Schema):
    status: Status | None = None
    dimension: str | None = Field(None, max_length=40, description="Code de la dimension")
    organisation: int | None = Field(
        None, ge=1, le=2**31, description="Une structure dont des membres sont dans le groupe"
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


@router.get("", response=ProjectPage, summary="Lister les projets")
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]):
    projects = Project.objects.only("pk")
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.dimension:
        projects = projects.filter(dimensions__code=filters.dimension)
    if filters.organisation:
        projects = projects.with_organisation(filters.organisation)
    window = projects[filters.offset : filters.offset + filters.limit]
    return {"count": projects.count(), "items": Project.objects.counted(window)}


@router.get("/{int:project_id}", response=ProjectDetailOut, summary="Un projet")
def get_project(request: HttpRequest, project_id: int):
    return get_object_or_404(Project.objects.with_counts(), pk=project_id)
