import itertools
from pathlib import Path

import pytest
from django.apps import apps

from maillage.core.reference import load_networks, load_reference_lists
from tests.factories import UserFactory, raise_test_need

from .conftest import DESKTOP, PHONE, axe_violations
from .test_permanence import _log_in


@pytest.fixture
def coordinator(transactional_db):
    load_reference_lists(apps)
    load_networks(apps)
    for text in ("Un banc", "Un bus le dimanche", "Un ordinateur"):
        raise_test_need(description=text)
    return UserFactory(role="coordinateur", email="marc@example.org")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_dashboard_has_no_accessibility_violation(new_page, live_server, coordinator, viewport):
    page = new_page(viewport)
    _log_in(page, live_server, "marc@example.org")
    for path in (
        "/observatoire/",
        "/chiffres/",
        "/donnees/",
        "/observatoire/carte/",
        "/observatoire/import/",
        "/observatoire/rapports/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    page.goto(f"{live_server.url}/observatoire/")
    assert page.get_by_role("heading", name="Besoins reçus et résolus par mois").is_visible()


def test_a_coordinator_filters_downloads_a_table_and_the_monthly_report(
    new_page, live_server, coordinator
):
    from django.utils import timezone
    from playwright.sync_api import expect

    page = new_page(DESKTOP)
    _log_in(page, live_server, "marc@example.org")
    page.goto(f"{live_server.url}/observatoire/")
    today = timezone.localdate()
    page.get_by_role("textbox", name="Du :").fill(f"{today.replace(day=1):%Y-%m-%d}")
    page.get_by_role("textbox", name="Au :").fill(f"{today:%Y-%m-%d}")
    page.get_by_role("combobox", name="Dimension :").select_option(label="Écologie")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator(".period-applied")).to_contain_text("dimension « Écologie »")
    expect(page.get_by_role("textbox", name="Du :")).to_have_value(
        f"{today.replace(day=1):%Y-%m-%d}"
    )
    assert "dimension=ecologie" in page.url
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Télécharger « Besoins reçus et résolus par mois » en CSV"
        ).click()
    table = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert table.splitlines()[0] == "Mois;Reçus;Résolus"
    page.goto(f"{live_server.url}/observatoire/rapports/")
    page.get_by_label("Un mois (2026-10) ou une année (2026)").fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="Voir le rapport").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport d'activité")
    response = page.request.get(f"{live_server.url}/observatoire/rapports/{today:%Y-%m}.pdf")
    assert response.ok and response.body().startswith(b"%PDF")


def test_a_chart_reads_on_a_phone_and_the_map_names_its_circles(new_page, live_server, coordinator):
    from playwright.sync_api import expect

    from maillage.needs.models import Need
    from maillage.territory import geography
    from tests.factories import OrganisationFactory

    OrganisationFactory(neighbourhood="Jonquières", latitude=43.4016, longitude=5.0507)
    geography.reset()
    Need.objects.update(neighbourhood="Jonquières")
    page = new_page(PHONE)
    _log_in(page, live_server, "marc@example.org")
    page.goto(f"{live_server.url}/observatoire/")
    chart = page.locator("figure.chart").first
    ticks = [t for t in chart.locator("text.chart__tick").all() if t.is_visible()]
    boxes = [t.bounding_box() for t in ticks]
    assert len(boxes) >= 6
    assert all(box["height"] >= 10 for box in boxes), "axis labels too small to read"
    same_line = sorted((b for b in boxes if abs(b["y"] - boxes[0]["y"]) < 2), key=lambda b: b["x"])
    assert all(a["x"] + a["width"] <= b["x"] for a, b in itertools.pairwise(same_line))

    page.goto(f"{live_server.url}/observatoire/carte/")
    expect(page.locator(".map-label").first).to_have_text("Jonquières · 3")
    expect(page.locator(".map-legend")).to_contain_text("Besoins reçus par quartier")
