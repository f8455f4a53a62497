"""Open Badges 2.0, hosted verification: the issuer, the badge class and the assertion as
JSON-LD with the fields the specification requires; the baked PNG read back by hand (not by
the library that wrote it) carries the same assertion as its URL; a revoked badge answers 410;
a tampered image is said to be so."""

import hashlib
import io
import json
import re
import struct
import zlib
from datetime import timedelta

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from maillage.core.errors import DomainError
from maillage.core.services import issue_api_token
from maillage.formation import badges, trainings
from maillage.formation.models import Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REQUIRED = {
    "Issuer": {"@context", "type", "id", "name", "url", "email"},
    "BadgeClass": {"@context", "type", "id", "name", "description", "image", "criteria", "issuer"},
    "Assertion": {"@context", "type", "id", "recipient", "badge", "verification", "issuedOn"},
}


@pytest.fixture
def badge(make_session, trainer):
    session = make_session()
    came = trainings.register(session=session, name="Josiane Roux", email="Josiane@Exemple.fr")
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    came.refresh_from_db()
    trainings.mark(registration=came, attended=True, by=trainer)
    return came.assertion


def _ld(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, url
    assert response["Content-Type"].startswith("application/ld+json")
    return response.json()


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The PNG's chunks, read with the format's own rules: length, type, data, CRC."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, found = 8, []
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length : at + 12 + length])[0] == zlib.crc32(
            kind + data
        )
        found.append((kind, data))
        at += 12 + length
    return found


def test_the_issuer_the_badge_class_and_the_assertion_hold_the_required_fields(client, badge):
    document = _ld(client, f"/badges/assertions/{badge.key}")
    assert REQUIRED["Assertion"] <= set(document) and document["type"] == "Assertion"
    assert document["@context"] == "https://w3id.org/openbadges/v2"
    assert document["id"].endswith(f"/badges/assertions/{badge.key}")
    assert document["verification"] == {"type": "hosted"}
    recipient = document["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    expected = hashlib.sha256(("josiane@exemple.fr" + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert "josiane" not in json.dumps(document).lower()  # the address never in the clear
    path = "/" + document["badge"].split("/", 3)[3]
    badge_class = _ld(client, path)
    assert REQUIRED["BadgeClass"] <= set(badge_class) and badge_class["type"] == "BadgeClass"
    assert badge_class["criteria"]["narrative"]
    image = client.get("/" + badge_class["image"].split("/", 3)[3])
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")
    issuer = _ld(client, "/" + badge_class["issuer"].split("/", 3)[3])
    assert REQUIRED["Issuer"] <= set(issuer) and issuer["type"] == "Issuer"


def test_the_baked_png_carries_exactly_the_assertion_its_url_serves(client, badge):
    png = client.get(f"/badges/assertions/{badge.key}.png").content
    texts = [data for kind, data in _chunks(png) if kind == b"iTXt"]
    assert len(texts) == 1
    keyword, rest = texts[0].split(b"\0", 1)
    assert keyword == b"openbadges" and rest[0] == 0  # uncompressed
    _language, _translated, text = rest[2:].split(b"\0", 2)
    assert json.loads(text) == client.get(f"/badges/assertions/{badge.key}").json()


def test_the_svg_carries_the_assertion_as_open_badges_says(client, badge):
    svg = client.get(f"/badges/assertions/{badge.key}.svg").content.decode()
    assert 'xmlns:openbadges="http://openbadges.org"' in svg
    carried = re.search(r'<openbadges:assertion verify="([^"]+)"><!\[CDATA\[(.*?)\]\]>', svg)
    assert carried and json.loads(carried[2])["id"] == carried[1]


def test_a_revoked_badge_answers_410_and_its_image_no_longer_verifies(client, badge):
    png = client.get(f"/badges/assertions/{badge.key}.png").content
    page = client.post("/badges/verifier/", {"image": _upload(png)})
    assert "Badge authentique" in page.content.decode()
    client.force_login(UserFactory(role="animateur"))
    client.post(f"/badges/assertions/{badge.key}/revoquer/", {"reason": "Erreur de saisie"})
    client.logout()
    gone = _ld(client, f"/badges/assertions/{badge.key}", status=410)
    assert gone["revoked"] is True and gone["revocationReason"] == "Erreur de saisie"
    assert client.get(f"/badges/assertions/{badge.key}.png").status_code == 410
    assert "révoqué" in client.post("/badges/verifier/", {"image": _upload(png)}).content.decode()


def test_a_tampered_image_or_no_badge_at_all_is_said_so(client, badge):
    png = client.get(f"/badges/assertions/{badge.key}.png").content
    carried = badges.read_baked(png)
    forged = json.loads(carried) | {"issuedOn": "2020-01-01T00:00:00+00:00"}
    info = PngInfo()
    info.add_itxt("openbadges", json.dumps(forged), zip=False)
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).save(out, format="PNG", pnginfo=info)
    said = client.post("/badges/verifier/", {"image": _upload(out.getvalue())}).content.decode()
    assert "a été modifiée" in said
    cut = client.post("/badges/verifier/", {"image": _upload(png[:-40])}).content.decode()
    assert "pas de badge lisible" in cut
    plain = client.post("/badges/verifier/", {"image": _upload(b"not a png")}).content.decode()
    assert "pas de badge lisible" in plain


def test_no_badge_for_someone_who_did_not_complete(make_session):
    session = make_session()
    registration = trainings.register(session=session, name="Karim", email="karim@exemple.fr")
    with pytest.raises(DomainError) as refused:
        badges.award(registration=registration)
    assert refused.value.status == 409 and not hasattr(registration, "assertion")


def test_the_api_lists_badge_classes_to_all_and_assertions_to_the_team(client, badge, path):
    classes = client.get("/api/v1/badges").json()
    assert [c["slug"] for c in classes] == [path.slug]
    assert client.get("/api/v1/badges/assertions").status_code == 401
    member = {"Authorization": f"Bearer {issue_api_token(user=UserFactory(role='membre'))}"}
    assert client.get("/api/v1/badges/assertions", headers=member).status_code == 403
    team = {"Authorization": f"Bearer {issue_api_token(user=UserFactory(role='animateur'))}"}
    (issued,) = client.get("/api/v1/badges/assertions", headers=team).json()
    assert issued["id"].endswith(str(badge.key)) and issued["image"].endswith(".png")
    assert issued["recipient"] == "Josiane Roux" and issued["revoked"] is False


def test_the_attestation_is_a_pdf_naming_the_person_and_the_path(client, badge):
    response = client.get(f"/badges/assertions/{badge.key}/attestation.pdf")
    document = pypdfium2.PdfDocument(response.content)
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert "Josiane Roux" in text and "Animer un atelier de scénarisation" in text


def _upload(content: bytes):
    return SimpleUploadedFile("badge.png", content, content_type="image/png")


def test_the_badge_shows_the_path_s_whole_name_in_both_images(badge):
    from xml.etree import ElementTree

    path = badge.path
    path.name = "Accueillir & orienter <les> habitants d'un quartier"
    svg = ElementTree.fromstring(badges.image_svg(path))  # well-formed, whatever the name
    shown = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert shown[0] == "MAILLAGE" and shown[-1] == f"FORMATION · {path.hours} H"
    assert " ".join(shown[1:-1]) == path.name
    assert badges._name_lines(path.name) == shown[1:-1]
    assert Image.open(io.BytesIO(badges.image_png(path))).size == (400, 400)
    long = "très " * 40
    assert badges._name_lines(long)[-1].endswith("…") and len(badges._name_lines(long)) == 4
