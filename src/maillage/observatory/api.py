"""The observatory's API: the dashboard's figures, as tables, with their definitions."""

from datetime import date

from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from maillage.api.auth import bearer
from maillage.api.problems import Forbidden, answers

from .indicators import Period, figures
from .opendata import DATASETS, FORMATS, as_csv, as_json

router = Router(tags=["observatoire"])


class FigureOut(Schema):
    code: str
    label: str
    definition: str
    columns: list[list[str]]
    rows: list[dict]
    chart: list[str]


class IndicatorsOut(Schema):
    start: date
    end: date
    dimension: str | None = None
    figures: list[FigureOut]


class IndicatorFilters(Schema):
    start: date | None = Field(
        None, alias="from", description="Premier jour (par défaut : il y a un an)"
    )
    end: date | None = Field(
        None, alias="to", description="Dernier jour (par défaut : aujourd'hui)"
    )
    dimension: str | None = Field(None, max_length=40, description="Code de la dimension")


@router.get("", response=IndicatorsOut, auth=bearer, by_alias=False,
            summary="Les indicateurs du territoire (équipe)",
            openapi_extra=answers(403))  # fmt: skip
def indicators(request: HttpRequest, filters: Query[IndicatorFilters]):
    """The dashboard's figures for the period (by default the last twelve months)."""
    if not request.auth.is_facilitator:  # small counts by neighbourhood stay with the team
        raise Forbidden("Réservé à l'équipe du laboratoire.")
    period = Period.parse(filters.start, filters.end, filters.dimension)
    return {
        "start": period.start, "end": period.end,
        "dimension": period.dimension.code if period.dimension else None,
        "figures": [{**figure.__dict__, "columns": [[key, str(label)] for key, label in
                                                     figure.columns]}
                    for figure in figures(period)],
    }  # fmt: skip


opendata_router = Router(tags=["données ouvertes"])
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


@opendata_router.get("/{name}", summary="Un fichier de données ouvertes")
def opendata(request: HttpRequest, name: str):
    """One of the files listed on /donnees/, streamed: data-inclusion-structures.json (or
    .csv), data-inclusion-services.json (.csv), lieux-mediation-numerique.json (.csv),
    besoins-agreges.csv."""
    stem, _dot, extension = name.rpartition(".")
    dataset = DATASETS.get(stem)
    if dataset is None or extension not in FORMATS[stem]:
        raise Http404(name)
    chunks = as_json(dataset) if extension == "json" else as_csv(dataset)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
