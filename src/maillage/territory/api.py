from datetime import datetime
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from maillage.api.problems import InvalidInput
from maillage.core.models import Dimension

from .models import Membership, Network, Organisation

router = Router(tags=["structures"])

OrganisationKind = Literal[tuple(Organisation.Kind.values)]  # type: ignore[valid-type]


class CodeName(Schema):
    code: str
    name: str


class AddressOut(Schema):
    street: str
    complement: str = Field(alias="address_complement")
    postal_code: str
    city: str
    insee_code: str
    neighbourhood: str
    latitude: float | None
    longitude: float | None


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    siret: str
    rna: str
    description: str
    website: str
    email: str
    phone: str
    address: AddressOut
    networks: list[CodeName]
    dimensions: list[CodeName]
    url: str = Field(alias="get_absolute_url")
    updated_at: datetime

    @staticmethod
    def resolve_address(obj: Organisation) -> Organisation:
        return obj

    @staticmethod
    def resolve_networks(obj: Organisation):
        return list(obj.networks.all())

    @staticmethod
    def resolve_dimensions(obj: Organisation):
        return list(obj.dimensions.all())


class MemberOut(Schema):
    name: str = Field(alias="person.full_name")
    role: str
    title: str


class OrganisationDetailOut(OrganisationOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj: Organisation):
        return list(obj.memberships.all())


class OrganisationPage(Schema):
    count: int
    items: list[OrganisationOut]


class OrganisationFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Texte cherché (nom, présentation…)")
    kind: OrganisationKind | None = None  # type: ignore[valid-type]
    network: str | None = Field(None, max_length=80, description="Code data·inclusion du réseau")
    dimension: str | None = Field(None, max_length=40, description="Code de la dimension")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("", response=OrganisationPage, summary="Lister les structures du territoire")
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]):
    organisations = Organisation.objects.for_directory()
    if filters.q:
        organisations = organisations.search(filters.q)
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.network:
        if not Network.objects.filter(code=filters.network).exists():
            raise InvalidInput("network", f"Réseau inconnu : « {filters.network} ».")
        organisations = organisations.filter(networks__code=filters.network)
    if filters.dimension:
        if not Dimension.objects.filter(code=filters.dimension).exists():
            raise InvalidInput("dimension", f"Dimension inconnue : « {filters.dimension} ».")
        organisations = organisations.filter(dimensions__code=filters.dimension)
    window = organisations[filters.offset : filters.offset + filters.limit]
    return {"count": organisations.count(), "items": list(window)}


@router.get("/{int:organisation_id}", response=OrganisationDetailOut, summary="Une structure")
def get_organisation(request: HttpRequest, organisation_id: int):
    members = Membership.objects.filter(person__archived_at__isnull=True).select_related("person")
    return get_object_or_404(
        Organisation.objects.active().prefetch_related(
            "networks", "dimensions", Prefetch("memberships", queryset=members)
        ),
        pk=organisation_id,
    )
