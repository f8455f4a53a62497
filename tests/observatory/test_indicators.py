"""Each figure of the observatory, asserted exactly on a small territory whose events are known."""

import html
import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from maillage.core.delays import add_working_days
from maillage.core.errors import DomainError
from maillage.core.models import Dimension
from maillage.core.services import issue_api_token
from maillage.needs import services as needs
from maillage.needs.models import Need
from maillage.observatory import indicators
from maillage.observatory.indicators import Period
from maillage.projects.models import Project
from tests.factories import UserFactory, raise_test_need
from tests.pages import read
from tests.spreadsheets import rows_of

PARIS = timezone.get_current_timezone()


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=PARIS)


@pytest.fixture
def desk(db):
    return UserFactory(role="animateur", email="nadia@example.org")


@pytest.fixture
def territory(desk):
    """Six needs around the first quarter of 2026 (2 working days promised for an answer):
    n1 received Mon 5 Jan, answered the next day, resolved 4 Feb (30 days), in a dimension;
    n2 received Tue 20 Jan, answered 10 days later (late), pooled, its shared need in a workshop;
    n3 received 10 Feb, never answered (late);
    n4 received Mon 2 Mar, answered the next day, resolved 12 Mar by a project, in the dimension;
    n5 received 20 Dec 2025 (before the period), resolved 10 Jan (21 days);
    n6 received 30 Mar, not answered yet."""
    from maillage.workshops import services as workshops

    dimension = Dimension.objects.get(code="ecologie")
    rows = {
        "n1": dict(created_at=at("2026-01-05"), first_answered_at=at("2026-01-06"),
                   closed_at=at("2026-02-04"), status="resolu", dimension=dimension,
                   neighbourhood="Carro"),
        "n2": dict(created_at=at("2026-01-20"), first_answered_at=at("2026-01-30")),
        "n3": dict(created_at=at("2026-02-10")),
        "n4": dict(created_at=at("2026-03-02"), first_answered_at=at("2026-03-03"),
                   closed_at=at("2026-03-12"), status="resolu", dimension=dimension,
                   channel="telephone"),
        "n5": dict(created_at=at("2025-12-20"), first_answered_at=at("2025-12-22"),
                   closed_at=at("2026-01-10"), status="resolu"),
        "n6": dict(created_at=at("2026-03-30")),
    }  # fmt: skip
    made = {}
    for name, fields in rows.items():
        need = raise_test_need(description=f"Le besoin {name}")
        fields = {
            "first_answered_at": None,
            "closed_at": None,
            "status": "recu",
            "answer_promised_at": add_working_days(fields["created_at"], 2),
        } | fields
        Need.objects.filter(pk=need.pk).update(**fields)
        made[name] = Need.objects.get(pk=need.pk)
    shared = needs.create_shared_need(title="Commun", by=desk)
    Need.objects.filter(pk=made["n2"].pk).update(shared_need=shared)
    start = timezone.now() + timedelta(days=3)
    workshops.create_workshop(by=desk, question="Que faire ?", starts_at=start,
                              ends_at=start + timedelta(hours=2), shared_need=shared)  # fmt: skip
    project = Project.objects.create(title="Un projet", purpose="Répondre.")
    project.needs.add(made["n4"])
    return made


QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))


@pytest.mark.django_db
def test_needs_received_and_resolved_per_month(territory):
    figure = indicators.needs_per_month(QUARTER)
    assert figure.rows == [
        {"mois": "2026-01", "recus": 2, "resolus": 1},
        {"mois": "2026-02", "recus": 1, "resolus": 1},
        {"mois": "2026-03", "recus": 2, "resolus": 1},
    ]


@pytest.mark.django_db
def test_delays_median_and_90th_percentile(territory):
    rows = {row["mois"]: row for row in indicators.delays(QUARTER).rows}
    assert rows["2026-01"] == {"mois": "2026-01", "premiere_reponse_mediane": 5.5,
                               "premiere_reponse_p90": 10.0, "resolution_mediane": 21.0,
                               "resolution_p90": 21.0}  # fmt: skip
    assert rows["2026-02"]["premiere_reponse_mediane"] is None
    assert rows["2026-02"]["resolution_mediane"] == 30.0
    assert rows["2026-03"]["premiere_reponse_p90"] == 1.0
    assert rows["2026-03"]["resolution_p90"] == 10.0
    assert indicators.median_and_p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == (5.5, 9)
    assert indicators.median_and_p90([]) == (None, None)


@pytest.mark.django_db
def test_the_share_answered_within_the_promised_delay(territory):
    rows = indicators.within_delay(QUARTER, now=at("2026-03-31")).rows
    assert rows == [
        {"mois": "2026-01", "dans_le_delai": 1, "en_retard": 1, "part": 50},
        {"mois": "2026-02", "dans_le_delai": 0, "en_retard": 1, "part": 0},
        {"mois": "2026-03", "dans_le_delai": 1, "en_retard": 0, "part": 100},  # n6 not yet due
    ]
    later = indicators.within_delay(QUARTER, now=at("2026-04-10")).rows
    assert later[2] == {"mois": "2026-03", "dans_le_delai": 1, "en_retard": 1, "part": 50}


@pytest.mark.django_db
def test_the_funnel_and_the_breakdowns(territory):
    assert indicators.funnel(QUARTER).rows == [
        {"etape": "Reçus", "besoins": 5},
        {"etape": "Mis en commun avec d'autres", "besoins": 1},
        {"etape": "Travaillés en atelier", "besoins": 1},
        {"etape": "Pris en charge par un projet", "besoins": 1},
        {"etape": "Résolus par un projet", "besoins": 1},
    ]
    assert indicators.needs_by(QUARTER, "dimension").rows == [
        {"valeur": "Sans dimension", "recus": 3, "resolus": 1},
        {"valeur": "Écologie", "recus": 2, "resolus": 2},
    ]
    channels = {row["valeur"]: row for row in indicators.needs_by(QUARTER, "canal").rows}
    assert channels["Téléphone"]["recus"] == 1
    ecology = Period.parse(date(2026, 1, 1), date(2026, 3, 31), "ecologie")
    assert [r["recus"] for r in indicators.needs_per_month(ecology).rows] == [1, 0, 1]


@pytest.mark.django_db
def test_the_figures_are_kept_until_a_need_changes(territory, desk, django_assert_num_queries):
    def received_in_march():
        return indicators.figures(QUARTER)[0].rows[2]["recus"]

    need = raise_test_need(description="Encore un")  # received today: not in the quarter
    assert received_in_march() == 2
    with django_assert_num_queries(0):
        assert received_in_march() == 2
    Need.objects.filter(pk=need.pk).update(created_at=at("2026-03-15"))  # no signal: still kept
    assert received_in_march() == 2
    needs.qualify_need(need=need, by=desk, title="Encore un", dimension=None)  # saved: dropped
    assert received_in_march() == 3


@pytest.mark.django_db
def test_a_period_that_makes_no_sense_is_refused(db):
    with pytest.raises(DomainError, match="vient avant son début"):
        Period.parse(date(2026, 3, 1), date(2026, 1, 1))
    with pytest.raises(DomainError, match="« lune » n'existe pas"):
        Period.parse(None, None, "lune")
    with pytest.raises(DomainError, match="entre 2000 et 2100"):
        Period.parse(date(9999, 12, 1), date(9999, 12, 31))
    with pytest.raises(DomainError, match="cinq ans"):
        Period.parse(date(2010, 1, 1), date(2026, 1, 1))
    default = Period.parse(None, None)
    assert default.end == timezone.localdate() and len(default.months()) == 12


@pytest.mark.django_db
def test_the_api_and_the_dashboard_give_the_same_figures(territory, desk, client):
    token = {"Authorization": f"Bearer {issue_api_token(user=desk)}"}
    response = client.get("/api/v1/indicators?from=2026-01-01&to=2026-03-31", headers=token)
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"], body["dimension"]) == ("2026-01-01", "2026-03-31", None)
    per_month = next(f for f in body["figures"] if f["code"] == "besoins-par-mois")
    assert per_month["rows"][0] == {"mois": "2026-01", "recus": 2, "resolus": 1}
    assert "Reçus : les besoins enregistrés dans le mois" in per_month["definition"]
    backwards = client.get("/api/v1/indicators?from=2026-03-01&to=2026-01-01", headers=token)
    assert backwards.status_code == 422 and "avant son début" in backwards.json()["detail"]
    unknown = client.get("/api/v1/indicators?dimension=lune", headers=token)
    assert unknown.status_code == 422
    member = UserFactory(role="membre")
    other = {"Authorization": f"Bearer {issue_api_token(user=member)}"}
    assert client.get("/api/v1/indicators", headers=other).status_code == 403
    assert client.get("/api/v1/indicators").status_code == 401

    client.force_login(desk)
    page = read(client.get("/observatoire/?start=2026-01-01&end=2026-03-31"))
    assert "Besoins reçus et résolus par mois" in page and "90e centile" in page
    assert "<title>jan. 2026 — Reçus : 2</title>" in page  # the chart's bar, with its figure
    axis = re.findall(r'class="chart__tick[^"]*">([^<]+)</text>', page)
    assert axis[:4] == ["jan.", "2026", "fév.", "mars"]  # months said, the year once
    assert '<th scope="row">jan. 2026</th>' in page  # the table says it too; the CSV keeps ISO
    assert 'name="start" value="2026-01-01"' in page and 'name="end" value="2026-03-31"' in page
    default = read(client.get("/observatoire/"))
    today = timezone.localdate()
    assert f'name="end" value="{today:%Y-%m-%d}"' in default  # the period applied, not blanks
    assert "Période affichée :</strong> du" in default and "toutes les dimensions" in default
    refused = client.get("/observatoire/?start=2026-03-01&end=2026-01-01")
    assert refused.status_code == 400
    assert "La fin de la période vient avant son début." in html.unescape(refused.text)
    download = client.get("/observatoire/besoins-par-mois.csv?start=2026-01-01&end=2026-03-31")
    assert download["Content-Type"].startswith("text/csv")
    rows = rows_of(download)
    assert rows == [["Mois", "Reçus", "Résolus"], ["2026-01", "2", "1"], ["2026-02", "1", "1"],
                    ["2026-03", "2", "1"]]  # fmt: skip
    assert client.get("/observatoire/rien.csv").status_code == 404
    client.force_login(member)
    assert client.get("/observatoire/").status_code in (302, 404)


@pytest.mark.django_db
def test_what_is_shared_who_gives_and_who_takes_part(territory, desk):
    from maillage.mutualisation.models import Booking, Offer, Orientation
    from maillage.projects.models import Member, Step
    from maillage.workshops.models import Participant, Registration, Workshop
    from tests.factories import OfferFactory, OrganisationFactory, PersonFactory

    giver, taker = OrganisationFactory(name="Ville"), OrganisationFactory(name="Asso")
    room = OfferFactory(organisation=giver, title="Salle")
    skill = OfferFactory(organisation=giver, kind="competence", title="Conseil")
    Offer.objects.filter(pk=room.pk).update(created_at=at("2026-02-03"))
    Offer.objects.filter(pk=skill.pk).update(created_at=at("2025-06-01"))
    Booking.objects.create(offer=room, requester=desk, organisation=taker, status="acceptee",
                           start=at("2026-02-10", 10), end=at("2026-02-10", 12))  # fmt: skip
    Booking.objects.create(offer=room, requester=desk, status="refusee",
                           start=at("2026-02-11", 10), end=at("2026-02-11", 12))  # fmt: skip
    Orientation.objects.create(need=territory["n2"], offer=skill, status="acceptee", hours=3,
                               answered_at=at("2026-03-05"))  # fmt: skip
    rows = {row["mois"]: row for row in indicators.sharing(QUARTER).rows}
    assert rows["2026-02"] == {"mois": "2026-02", "offres": 1, "reservations": 1,
                               "heures_reservees": 2.0, "orientations": 0,
                               "heures_competences": 0.0}  # fmt: skip
    assert rows["2026-03"]["orientations"] == 1 and rows["2026-03"]["heures_competences"] == 3.0
    assert indicators.givers(QUARTER).rows == [
        {"structure": "Ville", "reservations": 1, "heures_reservees": 2.0, "orientations": 1,
         "heures_competences": 3.0},
    ]  # fmt: skip

    workshop = Workshop.objects.get()
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=at("2026-03-10", 18), status="termine")
    registration = Registration.objects.create(workshop=workshop, name="Awa",
                                               email="awa@example.org", attended=True)  # fmt: skip
    Registration.objects.create(workshop=workshop, name="Bruno", email="b@example.org")
    Participant.objects.create(workshop=workshop, name="Awa", registration=registration)
    Participant.objects.create(workshop=workshop, name="Chloé")
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(created_at=at("2026-01-15"))
    Member.objects.create(project=project, person=PersonFactory(), organisation=taker,
                          accepted_at=at("2026-01-16"))  # fmt: skip
    Step.objects.create(project=project, number=1, goal="Un banc", status="terminee",
                        starts_on=date(2026, 1, 20), ends_on=date(2026, 2, 17),
                        reviewed_at=at("2026-02-20"))  # fmt: skip
    values = {row["mesure"]: row["valeur"] for row in indicators.participation(QUARTER).rows}
    assert values == {
        "Ateliers tenus": 1, "Participants aux ateliers (téléphones de la salle)": 2,
        "Inscrits venus": 1, "Structures engagées": 2,  # who gave, and who booked and worked
        "Projets créés": 1, "Étapes revues": 1,
    }  # fmt: skip


@pytest.mark.django_db
def test_the_public_figures_say_nothing_that_could_point_at_someone(territory, client):
    page = html.unescape(client.get("/chiffres/?start=2026-01-01&end=2026-03-31").text)
    assert "Le laboratoire en chiffres" in page and "Besoins reçus et résolus par mois" in page
    assert "Besoins par quartier" not in page and "Carro" not in page
    download = client.get("/chiffres/besoins-par-dimension.csv?start=2026-01-01&end=2026-03-31")
    rows = rows_of(download)
    assert rows[1:] == [["Sans dimension", "< 5", "< 5"], ["Écologie", "< 5", "< 5"]]
    assert client.get("/chiffres/besoins-par-quartier.csv").status_code == 404
    monthly = client.get("/chiffres/besoins-par-mois.csv?start=2026-01-01&end=2026-03-31")
    assert ["2026-01", "2", "1"] in rows_of(monthly)  # totals by month stay exact


@pytest.mark.django_db
def test_the_map_places_needs_by_neighbourhood_and_hides_small_ones_from_the_public(
    territory, desk, client, settings
):
    from maillage.territory import geography
    from tests.factories import OrganisationFactory

    OrganisationFactory(neighbourhood="Carro", latitude=43.33, longitude=5.04)
    geography.reset()
    client.force_login(desk)
    page = html.unescape(client.get("/observatoire/carte/?start=2026-01-01&end=2026-03-31").text)
    assert '"name": "Carro"' in page and '"needs": 1' in page  # in the map's data
    assert '<th scope="row">Carro</th>' in page  # and in the table
    assert 'data-tiles=""' in page  # no tile server by default: no third party
    settings.MAP_TILES_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    client.logout()
    public = html.unescape(client.get("/chiffres/carte/?start=2026-01-01&end=2026-03-31").text)
    assert "Carro" not in public  # one need: it could point at someone
    assert 'data-tiles="https://tuiles.example.org/{z}/{x}/{y}.png"' in public
    assert client.get("/chiffres/carte/?start=2026-03-01&end=2026-01-01").status_code == 400


@pytest.mark.django_db
def test_after_a_change_the_worker_counts_the_default_figures_again(
    desk, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_test_need(description="Un nouveau besoin")  # saved: dropped, then counted again
    with django_assert_num_queries(0):  # kept: nothing is counted in the page
        figures = indicators.figures(Period.parse(None, None))
    assert figures[0].rows[-1]["recus"] == 1
    with django_assert_num_queries(1):  # the dimension looked up; its figures are kept
        ecology = indicators.figures(Period.parse(None, None, "ecologie"))
    assert ecology[0].rows[-1]["recus"] == 0
