"""The accompaniments' API: the Coop's names in and out, cursor pages, the funders' spreadsheet."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from maillage.core.services import issue_api_token
from maillage.mediation import services
from maillage.mediation.models import Accompaniment, Beneficiary
from maillage.mediation.services import AccompanimentFacts, PersonFacts
from tests.factories import UserFactory, raise_test_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    user = UserFactory(role="animateur", email="mediatrice@example.org")
    return user, {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def _post(client, headers, body, **more):
    return client.post("/api/v1/accompaniments", body, content_type="application/json",
                       headers=headers | more)  # fmt: skip


GOOD = {"type": "individuel", "duree": 45, "thematiques": ["argent_impots", "email"],
        "materiel": ["ordinateur"], "autonomie": "partiellement_autonome",
        "oriente_vers_structure": True, "structure_de_redirection": "administration",
        "precisions_demarche": "Déclaration de revenus"}  # fmt: skip


def test_an_accompaniment_posted_with_the_coops_names_reads_back_the_same(client, team):
    user, headers = team
    need = raise_test_need(description="Déclarer mes revenus")
    body = GOOD | {
        "besoin": need.pk,
        "beneficiaire": {
            "genre": "feminin",
            "tranche_age": "soixante_dix_plus",
            "commune_code_insee": "13056",
        },
    }
    response = _post(client, headers, body)
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert {k: answer[k] for k in GOOD} == GOOD
    assert answer["accompagnements"] == 1 and answer["besoin"]["reference"] == need.reference
    assert answer["beneficiaires"] == [{"genre": "feminin", "tranche_age": "soixante_dix_plus",
                                        "statut_social": "non_communique_ou_heterogene",
                                        "commune_code_insee": "13056",
                                        "premier_accompagnement": True}]  # fmt: skip
    assert answer["date"] == timezone.localdate().isoformat() and answer["mediateur"] == user.email
    listed = client.get("/api/v1/accompaniments", headers=headers).json()
    assert listed["items"] == [answer] and listed["next"] is None


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"duree": 0}, "duree"),
        ({"duree": 720}, "duree"),
        ({"thematiques": ["astrologie"]}, "thematiques"),
        ({"thematiques": []}, "thematiques"),
        ({"type": "demarche"}, "type"),
        ({"lieu_code_insee": "99999"}, "lieu_code_insee"),
        ({"oriente_vers_structure": False}, "structure_de_redirection"),
        ({"date": "2999-01-01"}, "date"),
        ({"beneficiaire": {"telephone": "12", "consentement": True}}, "beneficiaire.telephone"),
        ({"beneficiaire": {"prenom": "Karim"}}, "beneficiaire.consentement"),
        ({"beneficiaire": {"commune_code_insee": "20123"}}, "beneficiaire.commune_code_insee"),
        ({"besoin": 999999}, "besoin"),
        ({"beneficiaire_id": 999999}, "beneficiaire_id"),
    ],
)
def test_bad_values_answer_422_naming_the_field_and_write_nothing(client, team, changes, where):
    _user, headers = team
    response = _post(client, headers, GOOD | changes)
    assert response.status_code == 422
    problem = response.json()
    assert any(where in ".".join(map(str, error["loc"])) for error in problem["errors"]), problem
    assert problem["detail"]
    assert not Accompaniment.objects.exists() and not Beneficiary.objects.exists()


def test_an_unknown_thematique_lists_the_values_accepted(client, team):
    _user, headers = team
    problem = _post(client, headers, GOOD | {"thematiques": ["astrologie"]}).json()
    assert "argent_impots" in problem["errors"][0]["msg"]


def test_only_the_team_reads_or_writes(client, team):
    member = {"Authorization": f"Bearer {issue_api_token(user=UserFactory(role='membre'))}"}
    assert client.get("/api/v1/accompaniments").status_code == 401
    assert client.get("/api/v1/accompaniments", headers=member).status_code == 403
    assert client.get("/api/v1/accompaniments/export", headers=member).status_code == 403
    assert _post(client, member, GOOD).status_code == 403
    assert not Accompaniment.objects.exists()


def test_sent_twice_with_a_key_it_is_recorded_once(client, team):
    _user, headers = team
    first = _post(client, headers, GOOD, **{"Idempotency-Key": "acc-1"})
    again = _post(client, headers, GOOD, **{"Idempotency-Key": "acc-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and Accompaniment.objects.count() == 1


def _many(user, days: int):
    today = timezone.localdate()
    for n in range(days):
        services.record_accompaniment(
            facts=AccompanimentFacts(day=today - timedelta(days=n % 5), duration=30,
                                     thematiques=["email"]), by=user,
        )  # fmt: skip


def test_cursor_pages_walk_everything_once_oldest_first(client, team):
    user, headers = team
    _many(user, 12)
    seen, cursor = [], None
    while True:
        query = {"page[size]": 5} | ({"page[after]": cursor} if cursor else {})
        page = client.get("/api/v1/accompaniments", query, headers=headers).json()
        seen += [(item["date"], item["id"]) for item in page["items"]]
        if not (cursor := page["next"]):
            break
    assert seen == sorted(seen) and len(set(seen)) == 12
    wrong = client.get("/api/v1/accompaniments", {"page[after]": "nope"}, headers=headers)
    assert wrong.status_code == 422


def test_the_period_keeps_the_accompaniments_of_its_days(client, team):
    user, headers = team
    _many(user, 5)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.get("/api/v1/accompaniments", {"from": yesterday, "to": yesterday},
                      headers=headers).json()  # fmt: skip
    assert [item["date"] for item in page["items"]] == [yesterday]
    backwards = client.get("/api/v1/accompaniments", {"from": yesterday, "to": "2001-01-01"},
                           headers=headers)  # fmt: skip
    assert backwards.status_code == 422


def test_the_export_is_a_spreadsheet_a_funder_opens(client, team):
    user, headers = team
    need = raise_test_need(description="Ouvrir un compte ameli")
    services.record_accompaniment(
        facts=AccompanimentFacts(duration=60, thematiques=["social_sante", "email"],
                                 details="=HYPERLINK(\"http://x\")"),
        by=user, need=need, new_person=PersonFacts(gender="masculin"),
    )  # fmt: skip
    response = client.get("/api/v1/accompaniments/export", {"format": "xlsx"}, headers=headers)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    found = dict(zip(header, row, strict=True))
    assert found["duree"] == 60 and found["thematiques"] == "social_sante, email"
    assert found["besoin"] == need.reference and found["premiers_accompagnements"] == 1
    assert found["precisions_demarche"] == '=HYPERLINK("http://x")'  # text, not a formula
    assert sheet.cell(2, header.index("precisions_demarche") + 1).data_type == "s"
    text = b"".join(client.get("/api/v1/accompaniments/export", {"format": "csv"},
                               headers=headers).streaming_content).decode()  # fmt: skip
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == header and rows[1][header.index("precisions_demarche")].startswith("'=")


def test_the_team_downloads_the_same_spreadsheet_from_the_list(client, team):
    user, _headers = team
    _many(user, 3)
    client.force_login(user)
    page = client.get("/mediation/?kind=individuel").content.decode()
    assert "/mediation/accompagnements.xlsx?kind=individuel" in page
    response = client.get("/mediation/accompagnements.csv?kind=collectif")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1  # the header: none is collective
    assert client.get("/mediation/accompagnements.pdf").status_code == 404
