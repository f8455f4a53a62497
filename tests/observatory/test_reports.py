"""Activity reports: a month's or a year's figures, as a page and a PDF, filed once over."""

import html
from datetime import date

import pytest

from maillage.observatory import reports
from maillage.observatory.models import Report
from tests.factories import UserFactory, raise_test_need
from tests.pdfs import drawn_bars, tallest_shape


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinateur", email="marc@example.org")


@pytest.mark.django_db
def test_a_report_covers_a_month_or_a_year(coordinator, client):
    assert reports.period_for("2026-02").end == date(2026, 2, 28)
    assert (reports.period_for("2026").start, reports.period_for("2026").end) == (
        date(2026, 1, 1), date(2026, 12, 31))  # fmt: skip
    client.force_login(coordinator)
    page = html.unescape(client.get("/observatoire/rapports/2026-01/").text)
    assert (
        "Rapport d'activité — janvier 2026" in page and "Besoins reçus et résolus par mois" in page
    )
    assert "Télécharger" not in page  # a report is read, not downloaded table by table
    for wrong in ("2026-13", "1999", "demain"):
        assert client.get(f"/observatoire/rapports/{wrong}/").status_code == 404
    asked = client.get("/observatoire/rapports/?periode=2026-03")
    assert asked["Location"] == "/observatoire/rapports/2026-03/"
    document = client.get("/observatoire/rapports/2026.pdf")
    assert document["Content-Type"] == "application/pdf" and document.content.startswith(b"%PDF")
    client.force_login(UserFactory(role="membre"))
    assert client.get("/observatoire/rapports/2026-01/").status_code in (302, 404)


@pytest.mark.django_db
def test_reports_are_filed_once_a_month_and_a_year_are_over(coordinator, client):
    assert reports.file_due(today=date(2027, 1, 5)) == ["2026-12", "2026"]
    assert reports.file_due(today=date(2027, 1, 6)) == []  # once
    assert reports.file_due(today=date(2027, 2, 1)) == ["2027-01"]
    assert set(Report.objects.values_list("label", flat=True)) == {"2026-12", "2026", "2027-01"}
    client.force_login(coordinator)
    listing = client.get("/observatoire/rapports/").text
    assert "/observatoire/rapports/2026.pdf?depose" in listing
    filed = client.get("/observatoire/rapports/2026.pdf?depose")
    assert filed.content == bytes(Report.objects.get(label="2026").pdf)


@pytest.mark.django_db
def test_the_report_pdf_draws_its_charts(coordinator, client):
    from django.utils import timezone

    for n in range(6):
        raise_test_need(description=f"Un besoin de transport numéro {n}")
    client.force_login(coordinator)
    document = client.get(f"/observatoire/rapports/{timezone.localdate().year}.pdf")
    assert document["Content-Type"] == "application/pdf"
    assert drawn_bars(document.content), "the report's charts are blank"
    assert tallest_shape(document.content) < 200, "a shape drawn larger than any chart"
