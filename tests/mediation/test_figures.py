"""The médiation's figures in the observatory, asserted exactly on accompaniments whose facts
are known, and the small-cell rule of what the public sees."""

from datetime import date

import pytest

from maillage.core.models import Dimension
from maillage.mediation import services
from maillage.mediation.services import AccompanimentFacts, PersonFacts
from maillage.observatory import accompaniments as figures
from maillage.observatory.indicators import Period, public
from tests.factories import raise_test_need

pytestmark = pytest.mark.django_db

PERIOD = Period(date(2026, 3, 1), date(2026, 3, 31))


def _rows(figure, *columns):
    return [tuple(row[c] for c in columns) for row in figure.rows]


@pytest.fixture
def month(facilitator):
    """In March 2026: Josiane (70+, Martigues) helped twice (20 min, then 45 min, autonomous
    the second time), an anonymous man (25 to 39, Port-de-Bouc) once for 2 h at home, a workshop
    of 6 unnamed people (90 min); one accompaniment in February, one archived."""
    josiane = services.record_accompaniment(
        facts=AccompanimentFacts(day=date(2026, 3, 2), duration=20, thematiques=["argent_impots",
                                 "email"], materials=["ordinateur"],
                                 autonomy="entierement_accompagne"),
        by=facilitator, new_person=PersonFacts(first_name="Josiane", consent=True,
                                               age_band="soixante_dix_plus", commune="13056"),
    ).beneficiaries.get()  # fmt: skip
    services.record_accompaniment(
        facts=AccompanimentFacts(day=date(2026, 3, 9), duration=45, autonomy="autonome",
                                 thematiques=["email"], materials=["telephone", "ordinateur"]),
        by=facilitator, people=[josiane],
    )  # fmt: skip
    services.record_accompaniment(
        facts=AccompanimentFacts(day=date(2026, 3, 31), duration=120, place_type="domicile",
                                 thematiques=["social_sante"], materials=["aucun"]),
        by=facilitator, new_person=PersonFacts(gender="masculin", commune="13077",
                                               age_band="vingt_cinq_trente_neuf"),
    )  # fmt: skip
    services.record_accompaniment(
        facts=AccompanimentFacts(kind="collectif", day=date(2026, 3, 20), duration=90,
                                 workshop_title="Le courriel", anonymous_people=6,
                                 thematiques=["email"], materials=["tablette"]),
        by=facilitator,
    )  # fmt: skip
    services.record_accompaniment(
        facts=AccompanimentFacts(day=date(2026, 2, 27), duration=30, thematiques=["email"]),
        by=facilitator, people=[josiane],
    )  # fmt: skip
    mistake = services.record_accompaniment(
        facts=AccompanimentFacts(day=date(2026, 3, 3), duration=30, thematiques=["justice"]),
        by=facilitator,
    )
    services.archive_accompaniment(accompaniment=mistake, by=facilitator)
    return josiane


def test_accompaniments_by_kind_count_people_first_and_following(month):
    figure = figures.by_kind(PERIOD)
    assert _rows(figure, "type", "accompagnements", "personnes", "premiers", "suivants") == [
        ("Individuel", 3, 3, 2, 1),
        ("Collectif (atelier)", 1, 6, 0, 0),
    ]
    assert "présents d'un atelier non nommés compris" in figure.definition


def test_breakdowns_by_thematique_duration_autonomy_place_and_material(month):
    assert _rows(figures.by_thematique(PERIOD), "valeur", "accompagnements") == [
        ("Le courriel", 3),
        ("Social, santé (CAF, ameli…)", 1),
        ("Argent, impôts", 1),
    ]
    assert _rows(figures.by_duration(PERIOD), "valeur", "accompagnements") == [
        ("Moins de 30 min", 1),
        ("30 min à 1 h", 1),
        ("1 h à 2 h", 1),
        ("2 h et plus", 1),
    ]
    assert _rows(figures.by_autonomy(PERIOD), "valeur", "accompagnements") == [
        ("Fait avec elle, pas à pas", 1),
        ("Autonome", 1),
        ("Non notée", 1),
    ]
    assert _rows(figures.by_place(PERIOD), "valeur", "accompagnements") == [
        ("Au laboratoire ou dans un lieu d'activité", 3),
        ("Au domicile de la personne", 1),
    ]
    assert _rows(figures.by_material(PERIOD), "valeur", "accompagnements") == [
        ("Ordinateur", 2),
        ("Téléphone", 1),
        ("Tablette", 1),
        ("Aucun", 1),
    ]


def test_people_are_counted_once_each_by_age_and_commune(month):
    assert _rows(figures.people_by_age(PERIOD), "valeur", "personnes") == [
        ("25 à 39 ans", 1),
        ("70 ans et plus", 1),
    ]
    assert _rows(figures.people_by_commune(PERIOD), "valeur", "code_insee", "personnes") == [
        ("Martigues", "13056", 1),
        ("Port-de-Bouc", "13077", 1),
    ]


def test_a_dimension_keeps_the_accompaniments_of_its_needs(month, facilitator):
    travail = Dimension.objects.get(code="travail")
    need = raise_test_need(description="Mon CV en ligne", dimension=travail)
    services.record_accompaniment(
        facts=AccompanimentFacts(day=date(2026, 3, 5), duration=60,
                                 thematiques=["travail_formation"]),
        by=facilitator, need=need,
    )  # fmt: skip
    work = Period(PERIOD.start, PERIOD.end, travail)
    online = Period(PERIOD.start, PERIOD.end, Dimension.objects.get(code="dematerialisation"))
    assert [row["accompagnements"] for row in figures.by_kind(work).rows] == [1, 0]
    assert [row["accompagnements"] for row in figures.by_kind(online).rows] == [3, 1]


def test_the_public_sees_small_cells_as_fewer_than_five(month):
    shown = {f.code: f for f in public(figures.figures(PERIOD))}
    assert shown["accompagnements"].rows[1]["personnes"] == 6
    assert shown["accompagnements"].rows[0]["accompagnements"] == "< 5"
    assert shown["personnes-accompagnees-par-commune"].rows[0]["personnes"] == "< 5"
    assert shown["personnes-accompagnees-par-commune"].rows[0]["code_insee"] == "13056"


def test_the_dashboard_shows_the_mediation(client, month, facilitator):
    client.force_login(facilitator)
    page = client.get("/observatoire/?start=2026-03-01&end=2026-03-31").content.decode()
    assert "Accompagnements de la médiation numérique" in page
    assert "Personnes accompagnées par commune" in page
