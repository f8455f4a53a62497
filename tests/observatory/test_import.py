"""Importing organisations from a data·inclusion structures file: a clear report, nothing
half-imported, and the same file twice changes nothing."""

import io

import pytest

from maillage.core.models import JournalEntry
from maillage.observatory import importer
from maillage.territory.models import Organisation

HEADER = "source;id;nom;description;siret;code_postal;commune;code_insee;telephone;courriel\n"
ROWS = [
    "dora;s1;Épicerie solidaire;Des courses à petit prix;73282932000074;13500;Martigues;13056;"
    "04 42 00 00 00;epicerie@example.org\n",
    "dora;s2;Mission locale;Pour les jeunes;;13500;Martigues;13056;;\n",
    "dora;s3;Numérique pour tous;;12345678901234;13500;Martigues;;;\n",  # SIRET's key is wrong
    "dora;s1;Épicerie solidaire (bis);;;;;;;\n",  # the same record again
    "dora;;Sans identifiant;;;;;;;\n",
    "dora;s4;Le phare;;;1350;Martigues;;;\n",  # postal code too short
]  # fmt: skip


def _file(text: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


@pytest.mark.django_db
def test_a_latin_1_file_with_semicolons_is_imported_with_its_report():
    report = importer.import_structures(_file(HEADER + "".join(ROWS), "cp1252"), by=None)
    assert (report.encoding, report.delimiter) == ("cp1252", ";")
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert [(line, ident) for line, ident, _why in report.rejected] == [
        (4, "s3"), (5, "s1"), (6, ""), (7, "s4")]  # fmt: skip
    reasons = [why for _line, _ident, why in report.rejected]
    assert "SIRET" in reasons[0] and reasons[1] == "En double : déjà ligne 2."
    grocer = Organisation.objects.get(data_inclusion_id="dora:s1")
    assert grocer.name == "Épicerie solidaire" and grocer.phone == "+33442000000"
    assert JournalEntry.objects.filter(verb="organisation-imported").count() == 2


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing_and_a_changed_row_updates():
    text = HEADER + "".join(ROWS[:2])
    importer.import_structures(_file(text), by=None)
    again = importer.import_structures(_file("\ufeff" + text, "utf-8"), by=None)  # with a BOM
    assert (again.encoding, again.created, again.updated, again.unchanged) == ("utf-8-sig", 0, 0, 2)
    changed = importer.import_structures(_file(text.replace("Pour les jeunes", "De 16 à 25 ans")),
                                         by=None)  # fmt: skip
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Organisation.objects.get(data_inclusion_id="dora:s2").description == "De 16 à 25 ans"
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_a_file_missing_columns_imports_nothing_and_a_dry_run_writes_nothing():
    with pytest.raises(importer.Unreadable, match="Il manque des colonnes obligatoires : id"):
        importer.import_structures(_file("source,nom\ndora,Épicerie\n"), by=None)
    report = importer.import_structures(_file(HEADER + ROWS[0]), by=None, dry_run=True)
    assert report.created == 1 and not Organisation.objects.exists()
    commas = importer.import_structures(_file("source,id,nom\ndora,x1,Un café\n"), by=None)
    assert commas.delimiter == "," and commas.created == 1


@pytest.mark.django_db
def test_services_join_their_imported_structures():
    from maillage.core.models import Thematique
    from maillage.mutualisation.models import Offer

    importer.import_structures(_file(HEADER + "".join(ROWS[:2])), by=None)
    theme = Thematique.objects.exclude(data_inclusion_code="").first()
    services = (
        "source,id,structure_id,nom,description,type,frais,thematiques\n"
        "dora,v1,s1,Colis alimentaires,Le mardi,aide-materielle,gratuit,"
        f"{theme.data_inclusion_code}\n"
        "dora,v2,s9,Orphelin,Sans structure,,,\n"
        "dora,v3,s2,Atelier CV,Chaque jeudi,conference,,\n"
        "dora,v4,s2,Conseil,Sur rendez-vous,,sur-devis,\n"
    )  # fmt: skip
    report = importer.import_services(_file(services), by=None)
    assert report.created == 1 and [ident for _l, ident, _w in report.rejected] == [
        "v3",
        "v4",
        "v2",
    ]
    reasons = " ".join(why for _l, _i, why in report.rejected)
    assert "Type de service inconnu" in reasons and "Structure inconnue" in reasons
    offer = Offer.objects.get(data_inclusion_id="dora:v1")
    assert offer.organisation.data_inclusion_id == "dora:s1" and offer.kind == "service"
    assert list(offer.thematiques.all()) == [theme] and offer.service_type == "aide-materielle"
    again = importer.import_services(_file(services), by=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
