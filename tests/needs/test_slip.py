"""The printed slip for people without e-mail, and the page where its reference and code,
typed in, open the tracking page."""

from importlib import import_module

import pypdfium2
import pytest

from maillage.needs.models import SHORT_CODE_ALPHABET, Need
from tests.factories import UserFactory, raise_test_need

pytestmark = pytest.mark.django_db


def _text(document: bytes) -> tuple[str, tuple[float, float]]:
    """The text of the document's one page, and its size; it must hold on that page."""
    pdf = pypdfium2.PdfDocument(document)
    try:
        assert len(pdf) == 1
        page = pdf[0]
        return page.get_textpage().get_text_range(), page.get_size()
    finally:
        pdf.close()


def test_each_need_has_its_own_short_code_in_unambiguous_characters():
    codes = {raise_test_need(description=f"Besoin {n}").tracking_code for n in range(20)}
    assert len(codes) == 20
    assert all(len(code) == 8 and set(code) <= set(SHORT_CODE_ALPHABET) for code in codes)


def test_the_desk_prints_a_half_a4_slip_with_the_reference_and_the_code(client):
    need = raise_test_need(name="Josiane", phone="0612345678", consent=True)
    client.force_login(UserFactory(role="animateur"))
    assert (
        f"/permanence/besoins/{need.pk}/fiche.pdf"
        in client.get(need.get_absolute_url()).content.decode()
    )
    response = client.get(f"/permanence/besoins/{need.pk}/fiche.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text, (width, height) = _text(response.content)
    assert (round(width), round(height)) == (420, 595)  # A5 in points: half an A4
    assert need.reference in text
    assert need.tracking_code_display in "".join(text.split())  # spaced out, for the eye
    assert "/suivi/" in text


def test_only_the_team_prints_a_slip(client):
    need = raise_test_need()
    assert client.get(f"/permanence/besoins/{need.pk}/fiche.pdf").status_code == 302
    client.force_login(UserFactory(role="membre"))
    assert client.get(f"/permanence/besoins/{need.pk}/fiche.pdf").status_code == 404


def test_the_reference_and_the_code_open_the_tracking_page(client):
    need = raise_test_need()
    code = f" {need.tracking_code[:4].lower()}-{need.tracking_code[4:]} "
    response = client.post("/suivi/", {"reference": need.reference.lower(), "code": code})
    assert response.status_code == 302 and response["Location"] == need.tracking_url()
    assert need.tracking_code_display in client.get(need.tracking_url()).content.decode()


def test_a_wrong_code_says_so_without_telling_which_part_and_guessing_is_held(client):
    need = raise_test_need()
    wrong = client.post("/suivi/", {"reference": need.reference, "code": "AAAA-AAAA"})
    assert wrong.status_code == 400
    assert "ne vont pas ensemble" in wrong.content.decode()
    malformed = client.post("/suivi/", {"reference": "12", "code": "x"})
    assert "B-2026-00012" in malformed.content.decode()
    answers = [client.post("/suivi/", {"reference": need.reference, "code": "BBBB-BBBB"})
               for _try in range(12)]  # fmt: skip
    assert answers[-1].status_code == 429
    right = client.post("/suivi/", {"reference": need.reference, "code": need.tracking_code})
    assert right.status_code == 429  # even the right code waits: the limit holds the sender


def test_needs_recorded_before_the_codes_each_got_their_own():
    """The migration's own step, on needs that all got the column's one default: each gets
    its own. (Run as a function: migrating the test database back and forth would change a
    table under the other tests' prepared statements on PostgreSQL.)"""
    from django.apps import apps

    one_code_each = import_module("maillage.needs.migrations.0007_tracking_code").one_code_each
    for n in range(5):
        raise_test_need(description=f"Besoin {n}")
    Need.objects.update(tracking_code="SAME0000")
    one_code_each(apps, None)
    assert len(set(Need.objects.values_list("tracking_code", flat=True))) == 5
