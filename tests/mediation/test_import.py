"""The people accompanied, imported from La Coop's spreadsheet: row by row, reasons for what
is refused, the same file twice changing nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from maillage.mediation import imports
from maillage.mediation.models import Beneficiary

pytestmark = pytest.mark.django_db

HEADER = "Nom;Prénom;Année de naissance;Commune;N° de téléphone;E-mail;Genre;Notes"
ROWS = [
    "Roux;Josiane;1948;13056;06 12 34 56 78;;Féminin;Vient le mardi",
    "Belkacem;Ahmed;1975;Martigues;;ahmed@example.org;Masculin;",
    "Pons;Lucienne;19xx;;;;;",
    ";;;;;;;",
    "Haddad;Karim;1990;Atlantide;;;;",
    "Garcia;Sophie;;;12;;;",
    "Vidal;Thomas;;;;;Autre;",
    ";;1980;;;;;",
]


def _csv(*rows) -> bytes:
    return ("\ufeff" + "\n".join([HEADER, *rows])).encode()


def test_a_coop_csv_is_imported_row_by_row_with_reasons(facilitator):
    report = imports.import_people(_csv(*ROWS), by=facilitator)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert [line for line, _why in report.refused] == [4, 6, 7, 8, 9]
    reasons = dict(report.refused)
    assert "4 chiffres" in reasons[4] and "Commune" in reasons[6]
    assert "N° de téléphone" in reasons[7] and "Genre inconnu" in reasons[8]
    assert reasons[9] == "Ni nom ni prénom."
    josiane = Beneficiary.objects.get(last_name="Roux")
    assert (josiane.phone, josiane.commune_code, josiane.gender, josiane.age_band) == (
        "+33612345678",
        "13056",
        "feminin",
        "soixante_dix_plus",
    )
    assert josiane.consent_at is not None and josiane.notes == "Vient le mardi"
    assert Beneficiary.objects.get(first_name="Ahmed").commune_code == "13056"


def test_the_same_file_twice_changes_nothing_and_a_new_phone_updates(facilitator):
    imports.import_people(_csv(*ROWS), by=facilitator)
    again = imports.import_people(_csv(*ROWS), by=facilitator)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Beneficiary.objects.count() == 2
    changed = imports.import_people(_csv("Roux;Josiane;1948;13056;06 23 45 67 89;;;"),
                                    by=facilitator)  # fmt: skip
    assert changed.updated == 1
    josiane = Beneficiary.objects.get(last_name="Roux")
    assert josiane.phone == "+33623456789" and josiane.gender == "feminin"  # kept


def test_an_xlsx_reads_as_its_csv(facilitator):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(["Roux", "Josiane", 1948, 13056, "0612345678", None, "Féminin", None])
    buffer = io.BytesIO()
    book.save(buffer)
    report = imports.import_people(buffer.getvalue(), by=facilitator)
    assert report.created == 1 and not report.refused
    assert Beneficiary.objects.get().birth_year == 1948


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Nom;Prenom\nRoux;Josiane", "Il manque des colonnes : Année de naissance"),
        (b"", "Le fichier est vide."),
        (b"PK\x03\x04 pas un vrai tableur", "Ce tableur ne se lit pas"),
        (b"\x00\x01\x02", "ni un CSV ni un tableur"),
    ],
)
def test_a_file_that_cannot_be_read_writes_nothing(facilitator, content, message):
    with pytest.raises(imports.Unreadable) as refused:
        imports.import_people(content, by=facilitator)
    assert message in str(refused.value)
    assert not Beneficiary.objects.exists()


def test_the_team_imports_from_its_page(client, facilitator):
    client.force_login(facilitator)
    upload = SimpleUploadedFile("beneficiaires.csv", _csv(*ROWS[:3]), content_type="text/csv")
    page = client.post("/mediation/personnes/importer/", {"fichier": upload, "consent": "on"})
    body = page.content.decode()
    assert page.status_code == 200 and "2 personnes ajoutées" in body and "1 ligne refusée" in body
    wrong = SimpleUploadedFile("x.csv", b"Nom\nRoux", content_type="text/csv")
    refused = client.post("/mediation/personnes/importer/", {"fichier": wrong, "consent": "on"})
    assert refused.status_code == 400 and "Il manque des colonnes" in refused.content.decode()
    no_consent = SimpleUploadedFile("b.csv", _csv(ROWS[0]), content_type="text/csv")
    assert client.post("/mediation/personnes/importer/", {"fichier": no_consent}).status_code == 400
    assert Beneficiary.objects.count() == 2
