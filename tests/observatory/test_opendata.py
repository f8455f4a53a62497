"""The open data files, checked against the published rules of their standards: required
fields, controlled lists, formats of SIRET, INSEE code, phone, opening hours."""

import csv
import io
import json
import re

import pytest

from maillage.core.models import Thematique
from maillage.needs.models import Need
from maillage.territory.models import Network, OpeningPeriod, Place
from maillage.territory.validators import validate_siret
from tests.factories import OfferFactory, OrganisationFactory, raise_test_need
from tests.pages import read

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
OSM_HOURS = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))? \d\d:\d\d-\d\d:\d\d"
                       r"(,\d\d:\d\d-\d\d:\d\d)*(; .+)?$")  # fmt: skip
SERVICE_TYPES = {"accompagnement", "aide-financiere", "aide-materielle", "atelier", "formation",
                 "information"}  # fmt: skip
MEDIATION_SERVICES = {
    "Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique", "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique", "Loisirs et créations numériques",
    "Compréhension du monde numérique", "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
}  # fmt: skip


@pytest.fixture
def territory(db):
    """An organisation with all it can say, one with the least, a service of each, a lab site."""
    full = OrganisationFactory(
        name="France Services Martigues", siret="73282932000074", phone="+33442000000",
        email="fs@example.org", street="1 rue Colonel Denfert", postal_code="13500",
        city="Martigues", insee_code="13056", description="Les démarches, avec quelqu'un.",
    )  # fmt: skip
    full.networks.add(Network.objects.get(code="france-service"))
    bare = OrganisationFactory(name="Les Jardiniers", description="")
    thematique = Thematique.objects.exclude(data_inclusion_code="").first()
    help_desk = OfferFactory(kind="service", title="Aide aux papiers", organisation=full,
                             service_type="accompagnement", conditions="gratuit")  # fmt: skip
    help_desk.thematiques.add(thematique)
    OfferFactory(kind="service", title="Conseils", organisation=bare, conditions="payant",
                 audience="structures")  # fmt: skip
    OfferFactory(kind="moyen", title="Une salle", organisation=full)  # a means: not a service
    site = Place.objects.create(
        name="Tiers-lieu de Canto-Perdrix", kind="site-labo", organisation=full,
        street="2 avenue de Ferrières", postal_code="13500", city="Martigues", insee_code="13056",
    )  # fmt: skip
    OpeningPeriod.objects.create(place=site, weekday=0, opens="09:00", closes="12:00")
    OpeningPeriod.objects.create(place=site, weekday=1, opens="09:00", closes="12:00")
    return full, bare, thematique


def _json(client, name):
    response = client.get(f"/api/v1/opendata/{name}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def _csv(client, name):
    response = client.get(f"/api/v1/opendata/{name}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_structures_follow_data_inclusion(territory, client):
    structures = {s["nom"]: s for s in _json(client, "data-inclusion-structures.json")}
    assert set(structures) >= {"France Services Martigues", "Les Jardiniers"}
    for structure in structures.values():
        for required in ("source", "id", "nom", "description", "date_maj"):
            assert structure[required], (structure["nom"], required)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", structure["date_maj"])
        if structure["siret"]:
            validate_siret(structure["siret"])
        assert structure["code_insee"] is None or re.fullmatch(
            r"\d[\dAB]\d{3}", structure["code_insee"]
        )
        assert structure["telephone"] is None or E164.match(structure["telephone"])
        assert set(structure["reseaux_porteurs"]) <= set(
            Network.objects.values_list("code", flat=True)
        )
    full = structures["France Services Martigues"]
    assert full["reseaux_porteurs"] == ["france-service"] and full["code_insee"] == "13056"
    assert full["horaires_accueil"] and OSM_HOURS.match(full["horaires_accueil"])
    assert structures["Les Jardiniers"]["description"].startswith("Les Jardiniers — ")
    rows = _csv(client, "data-inclusion-structures.csv")
    assert {row["nom"] for row in rows} == set(structures)
    assert (
        next(r for r in rows if r["nom"] == "France Services Martigues")["reseaux_porteurs"]
        == "france-service"
    )


@pytest.mark.django_db
def test_services_follow_data_inclusion(territory, client):
    _full, _bare, thematique = territory
    services = {s["nom"]: s for s in _json(client, "data-inclusion-services.json")}
    assert set(services) == {"Aide aux papiers", "Conseils"}  # the room is a means
    structure_ids = {s["id"] for s in _json(client, "data-inclusion-structures.json")}
    for service in services.values():
        for required in ("source", "id", "structure_id", "nom", "description", "date_maj"):
            assert service[required]
        assert service["structure_id"] in structure_ids
        assert service["type"] is None or service["type"] in SERVICE_TYPES
        assert service["frais"] in {"gratuit", "payant"}
        assert all(re.fullmatch(r"[a-z-]+(--[a-z-]+)?", t) for t in service["thematiques"])
        assert set(service["modes_accueil"]) <= {"a-distance", "en-presentiel"}
        assert set(service["mobilisable_par"]) <= {"professionnels", "usagers"}
    papers = services["Aide aux papiers"]
    assert papers["thematiques"] == [thematique.data_inclusion_code]
    assert papers["publics"] == ["tous-publics"] and papers["zone_eligibilite"] == ["13056"]
    assert services["Conseils"]["conditions_acces"] == "Les structures du territoire"


@pytest.mark.django_db
def test_the_lab_sites_follow_the_mediation_numerique_schema(territory, client):
    (place,) = _json(client, "lieux-mediation-numerique.json")
    for required in ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"):
        assert place[required]
    assert place["pivot"] == "73282932000074" and place["typologie"] == ["TIERS_LIEUX"]
    assert set(place["services"]) <= MEDIATION_SERVICES
    assert place["horaires"] == "Mo-Tu 09:00-12:00" or OSM_HOURS.match(place["horaires"])
    (row,) = _csv(client, "lieux-mediation-numerique.csv")
    assert row["services"] == "|".join(place["services"])


@pytest.mark.django_db
def test_the_needs_aggregates_publish_no_cell_under_five(db, client):
    from maillage.core.models import Dimension

    dimension = Dimension.objects.get(code="ecologie")
    for n in range(6):
        need = raise_test_need(description=f"Un besoin au port {n}", neighbourhood="Carro")
        Need.objects.filter(pk=need.pk).update(dimension=dimension)
    for n in range(3):  # too few to publish: they could point at someone
        raise_test_need(description=f"Un besoin à Lavéra {n}", neighbourhood="Lavéra")
    rows = _csv(client, "besoins-agreges.csv")
    assert [(r["dimension"], r["quartier"], r["besoins"], r["resolus"]) for r in rows] == [
        ("ecologie", "Carro", "6", "")
    ]
    assert all(int(r["besoins"]) >= 5 for r in rows)


@pytest.mark.django_db
def test_the_open_data_page_lists_the_files_and_unknown_files_are_404(client):
    page = client.get("/donnees/").text
    for name in ("data-inclusion-structures.json", "data-inclusion-services.csv",
                 "lieux-mediation-numerique.json", "besoins-agreges.csv"):  # fmt: skip
        assert f"/api/v1/opendata/{name}" in page
    assert client.get("/api/v1/opendata/besoins-agreges.json").status_code == 404
    assert client.get("/api/v1/opendata/secrets.csv").status_code == 404


def test_the_coarser_tables_publish_their_totals_and_hide_what_would_point_at_someone(db, client):
    for n in range(6):
        raise_test_need(description=f"Un besoin au port {n}", neighbourhood="Carro")
    for n in range(3):  # too few: hidden, and with them what would give them back
        raise_test_need(description=f"Un besoin à Lavéra {n}", neighbourhood="Lavéra")
    rows = {(r["trimestre"], r["quartier"]): r["besoins"]
            for r in _csv(client, "besoins-par-trimestre-et-quartier.csv")}  # fmt: skip
    quarter = next(q for q, _n in rows if q != "ensemble")
    assert rows[quarter, "Lavéra"] == "" and rows[quarter, "Carro"] == ""  # its complement
    assert rows[quarter, "ensemble"] == "9" and rows["ensemble", "ensemble"] == "9"
    assert rows["ensemble", "Carro"] == "" and rows["ensemble", "Lavéra"] == ""
    by_month = _csv(client, "besoins-par-mois-et-dimension.csv")
    assert by_month[-1] == {"mois": "ensemble", "dimension": "ensemble", "besoins": "9"}


def test_the_open_data_page_says_each_files_size_rows_licence_and_why_one_is_empty(db, client):
    raise_test_need(description="Un seul besoin, trop peu pour une case", neighbourhood="Carro")
    page = read(client.get("/donnees/"))
    assert "Licence Ouverte 2.0 (Etalab)" in page
    card = page.split("Les besoins reçus, agrégés</h2>")[1].split("</li>")[0]
    assert "0 ligne, " in card and "en CSV" in card  # a header only, its size said
    assert "Aucun mois n'a reçu 5 besoins" in card
    by_quarter = page.split("par trimestre et par quartier</h2>")[1].split("</li>")[0]
    assert "4 lignes" in by_quarter and "Aucun" not in by_quarter
